import { type CampaignStatus, STATUS_LABELS } from './campaignShapes';

export function StatusChip({ status }: { status: CampaignStatus }) {
  return (
    <span class={`chip cmp-status cmp-status-${status}`} data-testid="campaign-status">
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}

/** A bar for how far sending got (0 to 1), read out as its label. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <span class="cmp-progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value * 100)}>
      <span style={{ width: `${Math.round(value * 1000) / 10}%` }} />
    </span>
  );
}
