"""Build side, step 1 and 2: spec files -> packages -> signed repositories."""
