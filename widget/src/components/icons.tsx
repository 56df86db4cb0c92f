/** The few icons the widget draws, as inline SVG so the bundle needs no image files. */
const svg = (path: string, size = 22) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
    <path d={path} />
  </svg>
);

export const ChatIcon = () => svg('M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z', 26);
export const CloseIcon = ({ size = 22 }: { size?: number }) => svg('M18 6 6 18M6 6l12 12', size);
export const SendIcon = () => svg('M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z', 18);
export const ClipIcon = () => svg('m21.4 11.1-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5', 18);
export const FileIcon = () => svg('M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zM14 2v6h6', 16);
