/**
 * The map in ../shared/DESIGN.md, enforced: `npm run lint` fails when an import crosses a boundary.
 *
 * What is cruised is the JavaScript that tsc emits for src/ (tsconfig.boundaries.json, into
 * node_modules/.cache/boundaries/src), not the TypeScript. The emitted files hold exactly the
 * imports that run: verbatimModuleSyntax erases `import type` and `type` specifiers, so type-only
 * imports are ignored by every rule, cycles included. (dependency-cruiser 17 reads TypeScript
 * through the compiler API of TypeScript 2 to 6, which TypeScript 7 no longer ships.) Paths below
 * are those files: src/app/app.js is src/app/app.ts.
 */

/** The stages of the pipeline: upstream of render, they know nothing of chat or of who calls them. */
const STAGES = '^src/(feeds|topics|stories|summarize|digest)/';
/** Everything that is not a leaf: the stages and the layers around them. */
const NOT_LEAVES =
  '^src/(feeds|topics|stories|summarize|digest|render|delivery|pipeline|commands|chat|http|app|scheduler|jobs|cli)/';

module.exports = {
  forbidden: [
    {
      name: 'stage-to-outer-layer',
      comment:
        'A pipeline stage (feeds, topics, stories, summarize, digest) never imports chat/, app/, scheduler/, ' +
        'cli/, pipeline/, commands/ or http/: it takes what it needs as arguments (a deps object).',
      severity: 'error',
      from: { path: STAGES },
      to: { path: '^src/(chat|app|scheduler|jobs|cli|pipeline|commands|http)/' },
    },
    {
      name: 'render-to-store-or-chat',
      comment: 'Rendering is pure: Digest/Reply in, payloads out. It never reads the store or calls a platform.',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(store|chat)/' },
    },
    {
      name: 'store-to-stage',
      comment:
        "store/ is queries only: it imports no stage's (or outer layer's) code at run time. Importing their " +
        'types is fine; those imports are erased.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: NOT_LEAVES },
    },
    {
      name: 'commands-to-chat',
      comment: 'Commands are platform-neutral: the chat adapters call them, never the reverse.',
      severity: 'error',
      from: { path: '^src/commands/' },
      to: { path: '^src/chat/' },
    },
    {
      name: 'config-reaches-store',
      comment:
        'config/ is a leaf: it may call pure validators (the query parser, src/schedule/), but nothing it ' +
        'imports may lead, even indirectly, to the store, the scheduler or app/.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/(store|scheduler|jobs|app)/', reachable: true },
    },
    {
      name: 'scheduler-to-app',
      comment:
        'scheduler/ and jobs/ decide when (locally, or as jobs shared on PostgreSQL); they call pipeline/ for the ' +
        'work, never app/ (the composition root).',
      severity: 'error',
      from: { path: '^src/(scheduler|jobs)/' },
      to: { path: '^src/app/' },
    },
    {
      name: 'pipeline-to-outer-layer',
      comment:
        'pipeline/ does the work over a deps object it is given: it never imports the composition root (app/), ' +
        'the scheduler that calls it, a command surface (cli/, commands/, http/) or a platform (chat/).',
      severity: 'error',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/(app|scheduler|jobs|cli|commands|http|chat)/' },
    },
    {
      name: 'platform-sdk-outside-chat',
      comment: 'Platform client libraries (discord.js, @discordjs/*, @slack/*) are used only under src/chat/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/chat/' },
      to: { path: 'node_modules/(discord\\.js|@discordjs|@slack)/' },
    },
    {
      name: 'folder-cycle',
      comment: 'No cycles between folders: data flows one way.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6'],
  },
};
