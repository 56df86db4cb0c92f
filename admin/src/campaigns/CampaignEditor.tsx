import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { Agent } from '../api/types';
import { toast } from '../components/Toasts';
import { href, navigate } from '../router';
import { ConfirmButton, FormError } from '../settings/formParts';
import { BackLink } from './BackLink';
import { type CampaignDraft, draftOf, dropDraft, keptDraft, startSegmentDetour } from './campaignDrafts';
import { CampaignPreview, useCampaignPreview } from './CampaignPreview';
import { campaignAction, checkDraft, isEmail, noRefusal, type Refusal, refusalOf, saveCampaign } from './campaignRequests';
import { type Campaign, campaignPath, type Segment, segmentPath } from './campaignShapes';
import { ScheduleControl, type ScheduleRequest } from './ScheduleControl';
import type { SegmentPreview } from './SegmentMatches';
import { StatusChip } from './StatusChip';
import { TemplateField } from './TemplateField';
import { TemplateHelp } from './TemplateHelp';

type Busy = 'save' | 'test' | 'schedule' | 'delete' | null;

function Problem({ id, text }: { id: string; text?: string }) {
  return text ? (
    <p class="set-problem" id={`${id}-problem`}>
      {text}
    </p>
  ) : null;
}

/** A draft campaign: who, what, the preview beside it; save, test-send, schedule. Admins only. */
export function CampaignEditor({ campaign, me, onSaved }: { campaign: Campaign | null; me: Agent; onSaved: (campaign: Campaign) => void }) {
  const draftKey = campaign?.id ?? 'new';
  const [draft, setDraft] = useState<CampaignDraft>(() => keptDraft(draftKey) ?? draftOf(campaign));
  const [segments, setSegments] = useState<Segment[] | null>(null);
  const [audience, setAudience] = useState<SegmentPreview | null>(null);
  const [previewAs, setPreviewAs] = useState('');
  const [testTo, setTestTo] = useState(me.email);
  const [testProblem, setTestProblem] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal>(noRefusal);
  const [busy, setBusy] = useState<Busy>(null);
  const content = { subject: draft.subject, html: draft.html, text: draft.text };
  const { preview, problem: previewProblem } = useCampaignPreview(content, previewAs);
  // The preview checks the templates as they are typed; a refused save points at the same place.
  const templateProblem = previewProblem ?? refusal.template;
  const dirty = !campaign || JSON.stringify(draft) !== JSON.stringify(draftOf(campaign));

  useEffect(() => {
    dropDraft(draftKey);
    http
      .get<{ items: Segment[] }>('/api/segments')
      .then((answer) => setSegments(answer.items))
      .catch((error: Error) => setRefusal((current) => ({ ...current, general: error.message })));
  }, []);

  useEffect(() => {
    setAudience(null);
    if (!draft.segmentId) return;
    http
      .get<SegmentPreview>(`/api/segments/${encodeURIComponent(draft.segmentId)}/preview`)
      .then(setAudience)
      .catch(() => setAudience(null));
  }, [draft.segmentId]);

  const set = (change: Partial<CampaignDraft>) => {
    setDraft((current) => ({ ...current, ...change }));
    const names = Object.keys(change).map((key) => (key === 'fromEmail' ? 'from.email' : key === 'fromName' ? 'from.name' : key));
    const templateChanged = names.some((name) => name === 'subject' || name === 'html' || name === 'text');
    setRefusal((current) => ({
      ...current,
      template: templateChanged ? null : current.template,
      fields: Object.fromEntries(Object.entries(current.fields).filter(([field]) => !names.includes(field))),
    }));
  };

  /** Saves when there is anything to save; the campaign as stored, or null when refused. */
  const ensureSaved = async (): Promise<Campaign | null> => {
    if (campaign && !dirty) return campaign;
    const problems = checkDraft(draft);
    if (Object.keys(problems).length > 0) {
      setRefusal({ ...noRefusal, fields: problems });
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.cmp-editor [aria-invalid="true"]')?.focus());
      return null;
    }
    try {
      const saved = await saveCampaign(campaign?.id ?? null, draft);
      setRefusal(noRefusal);
      onSaved(saved);
      if (!campaign) navigate(campaignPath(saved.id), { replace: true });
      return saved;
    } catch (error) {
      setRefusal(refusalOf(error));
      return null;
    }
  };

  const act = async (what: Busy, action: () => Promise<void>) => {
    setBusy(what);
    try {
      await action();
    } finally {
      setBusy(null);
    }
  };

  const save = (event: Event) => {
    event.preventDefault();
    void act('save', async () => {
      if (await ensureSaved()) toast(`"${draft.name.trim()}" saved.`);
    });
  };

  const testSend = () =>
    act('test', async () => {
      setTestProblem(null);
      if (!isEmail(testTo)) return setTestProblem('Enter the address to send the test to.');
      const saved = await ensureSaved();
      if (!saved) return;
      try {
        const sent = await http.post<{ to: string }>(`/api/campaigns/${encodeURIComponent(saved.id)}/test-send`, { email: testTo.trim(), ...(previewAs ? { customerId: previewAs } : {}) });
        toast(`Test sent to ${sent.to}.`);
      } catch (error) {
        const refused = refusalOf(error);
        if (refused.template) setRefusal(refused);
        setTestProblem(refused.template ? 'Fix the marked template first.' : (refused.general ?? Object.entries(refused.fields).map(([field, text]) => `${field}: ${text}`).join(' ')));
      }
    });

  const schedule = (request: ScheduleRequest) =>
    act('schedule', async () => {
      const saved = await ensureSaved();
      if (!saved) return;
      try {
        const scheduled = await campaignAction(saved.id, 'schedule', request);
        toast(request.at ? `"${scheduled.name}" is scheduled.` : `"${scheduled.name}" is on its way.`);
        onSaved(scheduled);
      } catch (error) {
        setRefusal(refusalOf(error));
      }
    });

  const remove = () =>
    act('delete', async () => {
      if (!campaign) return navigate(campaignPath());
      try {
        await http.delete(`/api/campaigns/${encodeURIComponent(campaign.id)}`);
        toast(`"${campaign.name}" deleted.`);
        navigate(campaignPath());
      } catch (error) {
        setRefusal(refusalOf(error));
      }
    });

  const newSegment = (event: Event) => {
    event.preventDefault();
    startSegmentDetour(campaignPath(campaign?.id ?? 'new'), draftKey, draft);
    navigate(segmentPath('new'));
  };

  const { fields } = refusal;
  const scheduleProblem = fields.at ?? fields.timezone ?? null;
  const invalid = (name: string) => ({ 'aria-invalid': Boolean(fields[name]), 'aria-describedby': fields[name] ? `campaign-${name.replace('.', '-')}-problem` : undefined });

  return (
    <div class="cmp-page">
      <BackLink to={campaignPath()} label="Campaigns" />
      <div class="cmp-split">
        <form class="cmp-panel set-form cmp-editor" onSubmit={save} noValidate aria-label={campaign ? `Edit ${campaign.name}` : 'New campaign'}>
          <div class="cmp-title">
            <h1>{campaign ? campaign.name : 'New campaign'}</h1>
            <StatusChip status="draft" />
            {dirty && campaign && <span class="muted cmp-unsaved">Unsaved changes</span>}
          </div>
          <div class={`set-field${fields.name ? ' invalid' : ''}`}>
            <label for="campaign-name">Name</label>
            <input id="campaign-name" data-testid="campaign-name" value={draft.name} maxLength={200} {...invalid('name')} onInput={(e) => set({ name: e.currentTarget.value })} />
            <Problem id="campaign-name" text={fields.name} />
          </div>
          <div class={`set-field${fields.segmentId ? ' invalid' : ''}`}>
            <label for="campaign-segmentId">Segment</label>
            <div class="cmp-inline">
              <select id="campaign-segmentId" data-testid="campaign-segment" value={draft.segmentId} {...invalid('segmentId')} onChange={(e) => set({ segmentId: e.currentTarget.value })}>
                <option value="">{segments ? 'Choose a segment…' : 'Loading segments…'}</option>
                {(segments ?? []).map((segment) => (
                  <option value={segment.id}>{segment.name}</option>
                ))}
              </select>
              <a href={href(segmentPath('new'))} onClick={newSegment}>
                New segment
              </a>
            </div>
            {audience && (
              <p class="set-hint">
                {audience.count.toLocaleString()} {audience.count === 1 ? 'customer matches' : 'customers match'} now.
              </p>
            )}
            <Problem id="campaign-segmentId" text={fields.segmentId} />
          </div>
          <div class="set-grid2">
            <div class={`set-field${fields['from.email'] ? ' invalid' : ''}`}>
              <label for="campaign-from-email">From address</label>
              <input id="campaign-from-email" data-testid="campaign-from-email" type="email" placeholder="news@example.com" value={draft.fromEmail} {...invalid('from.email')} onInput={(e) => set({ fromEmail: e.currentTarget.value })} />
              <Problem id="campaign-from-email" text={fields['from.email']} />
            </div>
            <div class={`set-field${fields['from.name'] ? ' invalid' : ''}`}>
              <label for="campaign-from-name">From name</label>
              <input id="campaign-from-name" data-testid="campaign-from-name" placeholder="Acme" value={draft.fromName} maxLength={200} {...invalid('from.name')} onInput={(e) => set({ fromName: e.currentTarget.value })} />
              <Problem id="campaign-from-name" text={fields['from.name']} />
            </div>
          </div>
          <TemplateField id="campaign-subject" testId="campaign-subject" label="Subject" multiline={false} value={draft.subject} problem={templateProblem?.field === 'subject' ? templateProblem : null} onInput={(subject) => set({ subject })} />
          <Problem id="campaign-subject" text={fields.subject} />
          <TemplateField id="campaign-html" testId="campaign-html" label="HTML body" multiline rows={14} value={draft.html} problem={templateProblem?.field === 'html' ? templateProblem : null} onInput={(html) => set({ html })} />
          <Problem id="campaign-html" text={fields.html} />
          <TemplateField
            id="campaign-text"
            testId="campaign-text"
            label="Text body"
            multiline
            rows={8}
            value={draft.text}
            hint="The plain-text part, for mail programs that do not show HTML. Put {{unsubscribeUrl}} in both."
            problem={templateProblem?.field === 'text' ? templateProblem : null}
            onInput={(text) => set({ text })}
          />
          <Problem id="campaign-text" text={fields.text} />
          <TemplateHelp />
          <div class="set-grid2">
            <div class={`set-field${fields.ratePerSecond ? ' invalid' : ''}`}>
              <label for="campaign-ratePerSecond">Messages per second</label>
              <input id="campaign-ratePerSecond" data-testid="campaign-rate" type="number" min={0.1} max={1000} step="any" value={draft.ratePerSecond} {...invalid('ratePerSecond')} onInput={(e) => set({ ratePerSecond: e.currentTarget.value })} />
              <Problem id="campaign-ratePerSecond" text={fields.ratePerSecond} />
            </div>
            <div class={`set-field${fields.ratePerHour ? ' invalid' : ''}`}>
              <label for="campaign-ratePerHour">Messages per hour (optional)</label>
              <input id="campaign-ratePerHour" type="number" min={1} step={1} placeholder="No limit" value={draft.ratePerHour} {...invalid('ratePerHour')} onInput={(e) => set({ ratePerHour: e.currentTarget.value })} />
              <Problem id="campaign-ratePerHour" text={fields.ratePerHour} />
            </div>
          </div>
          <FormError error={refusal.general} />
          <div class="set-actions">
            <button type="submit" class="primary" data-testid="campaign-save" disabled={busy !== null}>
              {busy === 'save' ? 'Saving…' : campaign ? 'Save' : 'Save draft'}
            </button>
            {campaign && <ConfirmButton label="Delete" question={`Delete the draft "${campaign.name}"?`} disabled={busy !== null} onConfirm={() => void remove()} />}
          </div>
          <fieldset class="set-fieldset">
            <legend>Test</legend>
            <div class="cmp-inline">
              <label class="sr-only" for="campaign-test-to">
                Send a test to
              </label>
              <input id="campaign-test-to" data-testid="campaign-test-to" type="email" value={testTo} aria-invalid={Boolean(testProblem)} onInput={(e) => setTestTo(e.currentTarget.value)} />
              <button type="button" data-testid="campaign-test-send" disabled={busy !== null} onClick={() => void testSend()}>
                {busy === 'test' ? 'Sending…' : 'Send test'}
              </button>
            </div>
            <p class="set-hint">As the customer chosen in the preview; the subject starts with [Test] and nothing is counted.</p>
            {testProblem && (
              <p class="set-problem" role="alert">
                {testProblem}
              </p>
            )}
          </fieldset>
          <ScheduleControl current={null} recipients={audience?.count ?? null} busy={busy !== null} problem={scheduleProblem} onSchedule={(request) => void schedule(request)} />
        </form>
        <CampaignPreview preview={preview} problem={templateProblem} customers={audience?.sample ?? []} customerId={previewAs} onCustomer={setPreviewAs} />
      </div>
    </div>
  );
}
