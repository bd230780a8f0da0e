"""Build-side shared pieces: configuration, the command runner, errors, signing, host tools,
file hashing and apt index reading. `packages/`, `iso/`, `publish/` and `export/` build on it;
none of them reaches into another's internals."""
