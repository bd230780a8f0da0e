"""xenhost's specs and image descriptions for distributed build engines: an Open Build Service
project (obs.py) and SRPMs with a build sequence for Koji (koji.py). Read-only over the sources
of truth (specs/, packages/, iso/); nothing here builds xenhost itself."""
