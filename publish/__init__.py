"""Nightly snapshots: a finished build's outputs -> a dated, signed snapshot tree; fetch + verify.

The publisher only reads what a build left in its out/ folder and never builds; the nightly
pipeline (nightly.py) runs the build steps in a clean checkout and then hands their outputs
and its record to the publisher.
"""
