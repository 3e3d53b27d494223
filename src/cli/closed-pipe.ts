/**
 * `watchdesk parse … | head` closes our stdout once head has its lines. Every later write then
 * fails with EPIPE, which Node raises as an unhandled 'error' event and a stack trace. A reader
 * that has seen enough is not a failure: stop quietly with status 0, as a Unix filter does.
 */
export function exitQuietlyOnClosedPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}
