import { useEffect, useRef, useState } from 'preact/hooks';
import { http } from '../api/http';
import { toast } from '../components/Toasts';
import { formatDateTime } from '../customers/format';
import { href, navigate } from '../router';
import { FormError } from '../settings/formParts';
import { BackLink } from './BackLink';
import { CampaignPreview, useCampaignPreview } from './CampaignPreview';
import { type CampaignAction, campaignAction, refusalOf } from './campaignRequests';
import { type Campaign, campaignPath, type Segment, segmentPath } from './campaignShapes';
import { CampaignStatsPanel } from './CampaignStatsPanel';
import { ScheduleControl, type ScheduleRequest } from './ScheduleControl';
import type { SegmentPreview } from './SegmentMatches';
import { StatusChip } from './StatusChip';

/** A time in the campaign's own zone, with the viewer's reading when that differs. */
function inZone(iso: string, timezone: string | null): string {
  const local = formatDateTime(iso);
  if (!timezone) return local;
  const there = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone }).format(new Date(iso));
  return there === local ? `${local} (${timezone})` : `${there} (${timezone}) · ${local} here`;
}

function Detail({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Cancelling cannot be undone: the button asks once more, and the question takes the focus. */
function CancelButton({ disabled, onConfirm }: { disabled: boolean; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="danger" data-testid="campaign-cancel" disabled={disabled} onClick={() => setAsking(true)}>
        Cancel campaign
      </button>
    );
  }
  return (
    <span class="set-confirm" role="group" aria-label="Cancel the campaign?">
      <span>Stop it for good? Recipients not mailed yet get nothing.</span>
      <button
        type="button"
        class="danger"
        data-testid="campaign-cancel-confirm"
        ref={yes}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, cancel it
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </span>
  );
}

/**
 * A campaign that is no longer a draft (or any campaign, for agents): what it is, its live figures,
 * and for admins the actions its state allows.
 */
export function CampaignView({ campaign, canWrite, onChanged }: { campaign: Campaign; canWrite: boolean; onChanged: (campaign: Campaign) => void }) {
  const [segment, setSegment] = useState<Segment | null>(null);
  const [audience, setAudience] = useState<SegmentPreview | null>(null);
  const [previewAs, setPreviewAs] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [scheduleProblem, setScheduleProblem] = useState<string | null>(null);
  const { preview, problem } = useCampaignPreview(campaign, previewAs);

  useEffect(() => {
    if (!campaign.segmentId) return;
    const id = encodeURIComponent(campaign.segmentId);
    http.get<Segment>(`/api/segments/${id}`).then(setSegment, () => setSegment(null));
    http.get<SegmentPreview>(`/api/segments/${id}/preview`).then(setAudience, () => setAudience(null));
  }, [campaign.segmentId]);

  const run = async (action: CampaignAction | 'schedule', body?: ScheduleRequest) => {
    setBusy(true);
    setError(null);
    setScheduleProblem(null);
    try {
      const changed = await campaignAction(campaign.id, action, body);
      onChanged(changed);
      toast(
        { pause: 'Paused.', resume: 'Sending again.', cancel: 'Cancelled: nothing more goes out.', schedule: body?.at ? 'Schedule moved.' : 'Sending now.' }[action],
      );
    } catch (failure) {
      const refusal = refusalOf(failure);
      if (action === 'schedule' && (refusal.fields.at || refusal.fields.timezone)) setScheduleProblem(refusal.fields.at ?? refusal.fields.timezone ?? null);
      else setError(refusal.general ?? Object.values(refusal.fields).join(' '));
    } finally {
      setBusy(false);
    }
  };

  const { status } = campaign;
  const segmentLink = campaign.segmentId ? segmentPath(campaign.segmentId) : null;
  return (
    <div class="cmp-page">
      <BackLink to={campaignPath()} label="Campaigns" />
      <div class="cmp-split">
        <div class="cmp-column">
          <section class="cmp-panel" aria-label="Campaign">
            <div class="cmp-title">
              <h1>{campaign.name}</h1>
              <StatusChip status={status} />
            </div>
            {status === 'draft' && !canWrite && <p class="muted">A draft: an admin is still writing it.</p>}
            <dl class="cmp-details">
              <Detail label="Segment">
                {segmentLink ? (
                  <a
                    href={href(segmentLink)}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(segmentLink);
                    }}
                  >
                    {segment?.name ?? 'The segment'}
                  </a>
                ) : (
                  'None yet'
                )}
                {audience && status !== 'sent' && <span class="muted"> · {audience.count.toLocaleString()} match now</span>}
              </Detail>
              <Detail label="From">
                {campaign.from.name ? `${campaign.from.name} <${campaign.from.email}>` : campaign.from.email}
              </Detail>
              <Detail label="Subject">{campaign.subject || '(none)'}</Detail>
              {campaign.scheduledAt && <Detail label="Scheduled">{inZone(campaign.scheduledAt, campaign.timezone)}</Detail>}
              {campaign.startedAt && <Detail label="Started">{formatDateTime(campaign.startedAt)}</Detail>}
              {campaign.finishedAt && <Detail label={status === 'cancelled' ? 'Stopped' : 'Finished'}>{formatDateTime(campaign.finishedAt)}</Detail>}
              <Detail label="Pace">
                {campaign.ratePerSecond}/s{campaign.ratePerHour ? `, at most ${campaign.ratePerHour.toLocaleString()}/h` : ''}
              </Detail>
            </dl>
            {canWrite && ['scheduled', 'sending', 'paused'].includes(status) && (
              <div class="set-actions cmp-actions">
                {status === 'sending' && (
                  <button type="button" data-testid="campaign-pause" disabled={busy} onClick={() => void run('pause')}>
                    Pause
                  </button>
                )}
                {status === 'paused' && (
                  <button type="button" class="primary" data-testid="campaign-resume" disabled={busy} onClick={() => void run('resume')}>
                    Resume
                  </button>
                )}
                <CancelButton disabled={busy} onConfirm={() => void run('cancel')} />
              </div>
            )}
            <FormError error={error} />
          </section>
          {canWrite && status === 'scheduled' && campaign.scheduledAt && (
            <div class="cmp-panel">
              <ScheduleControl
                current={{ at: campaign.scheduledAt, timezone: campaign.timezone }}
                recipients={audience?.count ?? null}
                busy={busy}
                problem={scheduleProblem}
                onSchedule={(request) => void run('schedule', request)}
              />
            </div>
          )}
          {/* Recipients are chosen when sending starts: before that there is nothing to count. */}
          {(campaign.startedAt || status === 'sending' || status === 'paused' || status === 'sent') && <CampaignStatsPanel campaign={campaign} />}
        </div>
        <CampaignPreview preview={preview} problem={problem} customers={audience?.sample ?? []} customerId={previewAs} onCustomer={setPreviewAs} />
      </div>
    </div>
  );
}
