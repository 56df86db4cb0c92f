import { toast } from '../components/Toasts';

/** Puts text on the clipboard; where the Clipboard API is refused (plain http), a hidden textarea does it. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    if (!copied) throw new Error('The browser did not allow copying; select the text and copy it yourself.');
  }
}

export function CopyButton({ text, label, children = 'Copy' }: { text: string; label?: string; children?: string }) {
  return (
    <button
      type="button"
      class="set-copy"
      aria-label={label}
      onClick={() =>
        copyText(text).then(
          () => toast('Copied.'),
          (error: Error) => toast(error.message, 'error'),
        )
      }
    >
      {children}
    </button>
  );
}
