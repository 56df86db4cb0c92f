import { useEffect, useState } from 'preact/hooks';
import { ApiError, http } from '../api/http';
import { toast } from '../components/Toasts';
import { directory } from '../data/directory';
import { navigate } from '../router';
import { ConfirmButton, FormError, useSaving } from '../settings/formParts';
import { useStore } from '../store';
import { cancelSegmentDetour, finishSegmentDetour } from './campaignDrafts';
import { type Segment, type SegmentFilter, segmentPath } from './campaignShapes';
import { ConditionBuilder } from './ConditionBuilder';
import { BackLink } from './BackLink';
import type { FilterProblem } from './RuleRow';
import { SegmentMatches, type SegmentPreview } from './SegmentMatches';
import { filterToRules, newRule, type Rules, rulesToFilter } from './segmentRules';
import { useLivePreview } from './useLivePreview';

type Mode = 'builder' | 'json';

const problemOf = (error: ApiError | null): FilterProblem | null => {
  if (!error || error.code !== 'invalid_segment') return null;
  const path = (error.details as { path?: unknown } | undefined)?.path;
  return { path: typeof path === 'string' ? path : 'filter', message: error.message };
};

function parseJson(text: string): { filter: SegmentFilter | null; error: string | null } {
  try {
    return { filter: JSON.parse(text) as SegmentFilter, error: null };
  } catch (error) {
    return { filter: null, error: `Not valid JSON: ${(error as Error).message}` };
  }
}

/** A segment: its name, its conditions (builder or JSON), and who they match, live. */
export function SegmentEditor({ segmentId, canWrite }: { segmentId: string | null; canWrite: boolean }) {
  const intents = useStore(directory, (state) => state.intents);
  const [loaded, setLoaded] = useState<Segment | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [mode, setMode] = useState<Mode>('builder');
  const [rules, setRules] = useState<Rules>({ match: 'all', items: [newRule()] });
  const [json, setJson] = useState('');
  const [modeNote, setModeNote] = useState<string | null>(null);
  const [saveProblem, setSaveProblem] = useState<FilterProblem | null>(null);
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const { busy, error, setError, run } = useSaving();

  useEffect(() => {
    if (!segmentId) return;
    http
      .get<Segment>(`/api/segments/${encodeURIComponent(segmentId)}`)
      .then((segment) => {
        setLoaded(segment);
        setName(segment.name);
        const asRules = filterToRules(segment.filter);
        if (asRules) setRules(asRules);
        else {
          setMode('json');
          setModeNote('This filter goes deeper than the builder shows (more nesting, or not): it is edited as JSON.');
        }
        setJson(JSON.stringify(segment.filter, null, 2));
      })
      .catch((failure: Error) => setLoadError(failure.message));
  }, [segmentId]);

  const parsed = mode === 'json' ? parseJson(json) : { filter: rulesToFilter(rules), error: null };
  const filterKey = parsed.filter ? JSON.stringify(parsed.filter) : '';
  const ready = !segmentId || loaded !== null;
  const preview = useLivePreview<SegmentPreview>(ready ? filterKey : '', ready && parsed.filter ? () => http.post('/api/segments/preview', { filter: parsed.filter }) : null);
  const problem = saveProblem ?? problemOf(preview.error);
  useEffect(() => setSaveProblem(null), [filterKey]);

  const switchMode = (next: Mode) => {
    setModeNote(null);
    if (next === 'json') {
      setJson(JSON.stringify(rulesToFilter(rules), null, 2));
      setMode('json');
      return;
    }
    const { filter, error: jsonError } = parseJson(json);
    const asRules = filter ? filterToRules(filter) : null;
    if (!asRules) {
      setModeNote(jsonError ?? 'The builder shows conditions in all/any groups one level deep, without not: keep editing this filter as JSON.');
      return;
    }
    setRules(asRules);
    setMode('builder');
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setNameProblem(name.trim() ? null : 'Name the segment.');
    if (!name.trim() || !parsed.filter) return;
    const body = { name: name.trim(), filter: parsed.filter };
    let saved: Segment | null = null;
    const ok = await run(async () => {
      try {
        saved = loaded
          ? await http.patch<Segment>(`/api/segments/${encodeURIComponent(loaded.id)}`, body)
          : await http.post<Segment>('/api/segments', body);
      } catch (failure) {
        if (failure instanceof ApiError && failure.code === 'invalid_segment') {
          setSaveProblem(problemOf(failure));
          throw new Error('The hub refused a condition; see the mark below.');
        }
        if (failure instanceof ApiError && failure.code === 'segment_name_taken') setNameProblem(failure.message);
        throw failure;
      }
    });
    if (!ok || !saved) return;
    const segment: Segment = saved;
    toast(`Segment "${segment.name}" saved.`);
    if (loaded) {
      setLoaded(segment);
      return;
    }
    navigate(finishSegmentDetour(segment.id) ?? segmentPath(segment.id), { replace: true });
  };

  const remove = async () => {
    if (loaded && (await run(() => http.delete(`/api/segments/${encodeURIComponent(loaded.id)}`)))) {
      toast(`Segment "${loaded.name}" deleted.`);
      navigate(segmentPath());
    }
  };

  if (loadError) {
    return (
      <div class="cmp-page">
        <BackLink to={segmentPath()} label="Segments" />
        <p class="set-error" role="alert">
          {loadError}
        </p>
      </div>
    );
  }
  if (!ready) return <p class="muted cmp-page">Loading…</p>;

  return (
    <div class="cmp-page">
      <BackLink to={segmentPath()} label="Segments" onBack={cancelSegmentDetour} />
      <div class="cmp-split">
        <form class="cmp-panel set-form" onSubmit={save} noValidate aria-label={loaded ? `Segment ${loaded.name}` : 'New segment'}>
          <h1>{loaded ? loaded.name : 'New segment'}</h1>
          <div class={`set-field${nameProblem ? ' invalid' : ''}`}>
            <label for="segment-name">Name</label>
            <input id="segment-name" data-testid="segment-name" value={name} maxLength={200} readOnly={!canWrite} aria-invalid={Boolean(nameProblem)} onInput={(e) => setName(e.currentTarget.value)} />
            {nameProblem && <p class="set-problem">{nameProblem}</p>}
          </div>
          <div class="seg-mode" role="group" aria-label="Show the conditions as">
            <button type="button" aria-pressed={mode === 'builder'} onClick={() => switchMode('builder')}>
              Builder
            </button>
            <button type="button" aria-pressed={mode === 'json'} onClick={() => switchMode('json')}>
              JSON
            </button>
          </div>
          {modeNote && <p class="notice">{modeNote}</p>}
          {mode === 'builder' ? (
            <ConditionBuilder rules={rules} problem={problem} intents={intents} disabled={!canWrite} onChange={setRules} />
          ) : (
            <div class={`set-field${parsed.error || problem ? ' invalid' : ''}`}>
              <label for="segment-json">Filter (JSON)</label>
              <textarea
                id="segment-json"
                data-testid="segment-json"
                class="cmp-code"
                rows={14}
                spellcheck={false}
                value={json}
                readOnly={!canWrite}
                aria-invalid={Boolean(parsed.error || problem)}
                aria-describedby="segment-json-problem"
                onInput={(e) => setJson(e.currentTarget.value)}
              />
              <p class="set-problem" id="segment-json-problem">
                {parsed.error ?? (problem ? `At ${problem.path}: ${problem.message}` : '')}
              </p>
            </div>
          )}
          <FormError error={error} />
          {canWrite && (
            <div class="set-actions">
              <button type="submit" class="primary" data-testid="segment-save" disabled={busy}>
                {busy ? 'Saving…' : loaded ? 'Save' : 'Create segment'}
              </button>
              {loaded && (
                <ConfirmButton
                  label="Delete"
                  question={`Delete "${loaded.name}"?`}
                  disabled={busy}
                  onConfirm={() => {
                    setError(null);
                    void remove();
                  }}
                />
              )}
            </div>
          )}
        </form>
        <SegmentMatches preview={preview} stale={Boolean(preview.error || parsed.error)} />
      </div>
    </div>
  );
}
