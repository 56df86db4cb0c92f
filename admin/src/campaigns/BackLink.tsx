import { href, navigate } from '../router';

/** "← Campaigns": the way back to the list, as a link so it also opens in a new tab. */
export function BackLink({ to, label, onBack }: { to: string; label: string; onBack?: () => void }) {
  return (
    <a
      class="cmp-back"
      href={href(to)}
      onClick={(event) => {
        event.preventDefault();
        onBack?.();
        navigate(to);
      }}
    >
      ← {label}
    </a>
  );
}
