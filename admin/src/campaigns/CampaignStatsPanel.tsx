import { type Campaign, progressOf, rateOf } from './campaignShapes';
import { ProgressBar } from './StatusChip';

const FIGURES = [
  ['recipients', 'Recipients', null],
  ['sent', 'Sent', null],
  ['failed', 'Failed', 'recipients'],
  ['bounced', 'Bounced', 'sent'],
  ['opened', 'Opened', 'sent'],
  ['clicked', 'Clicked', 'sent'],
  ['unsubscribed', 'Unsubscribed', 'sent'],
] as const;

/** The campaign's figures as the hub last pushed them, with how far sending got. */
export function CampaignStatsPanel({ campaign }: { campaign: Campaign }) {
  const { stats } = campaign;
  const progress = progressOf(stats);
  const done = stats.sent + stats.failed;
  return (
    <section class="cmp-panel cmp-stats" data-testid="campaign-stats" aria-label="Figures">
      <h2>Figures{campaign.status === 'sending' && <span class="cmp-live"> · live</span>}</h2>
      <div class="cmp-stats-progress">
        <ProgressBar value={progress} label={`${done} of ${stats.recipients} done`} />
        <span class="muted">
          {done.toLocaleString()} of {stats.recipients.toLocaleString()} done
          {stats.pending > 0 ? ` · ${stats.pending.toLocaleString()} to go` : ''}
          {stats.skipped ? ` · ${stats.skipped.toLocaleString()} skipped (no email or suppressed)` : ''}
        </span>
      </div>
      <dl class="cmp-figures">
        {FIGURES.map(([key, label, of]) => (
          <div key={key} data-stat={key}>
            <dt>{label}</dt>
            <dd>
              <span class="cmp-figure">{stats[key].toLocaleString()}</span>
              {of && <span class="muted cmp-figure-rate">{rateOf(stats[key], stats[of])}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
