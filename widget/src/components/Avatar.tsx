import { isWebUrl } from '../linkify';

/** An agent's picture, or their initials when they have none (or a URL that is not http(s)). */
export function Avatar({ name, url, size = 32 }: { name: string; url: string | null; size?: number }) {
  const style = { width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` };
  if (url && isWebUrl(url)) return <img class="avatar" style={style} src={url} alt="" referrerpolicy="no-referrer" />;
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]!.toUpperCase())
    .join('');
  return (
    <span class="avatar" style={style} aria-hidden="true">
      {initials || '?'}
    </span>
  );
}
