"""The dom0 image's SHA-256 (and, through once_per_file, whatever else is read from it), computed
once per file. An interactive install checks the image twice
(on the summary, then when installing), and a network image was hashed while it downloaded: reading
178 MB again took seconds to minutes under emulation. prefetch() starts the hashing as soon as
the image is known, beside the disk probing (the ISO's image took 4.3 s of preflight under TCG);
unattended installs only: beside the screens it would take the two emulated CPUs they draw with
(the half-drawn screens an interactive e2e run caught were the test harness's race, which came
back without it; leaving it out there is caution, not a measured fix)."""
import hashlib
import os
import threading

_DIGESTS = {}       # file_key -> sha256
_PENDING = {}       # file_key -> the thread hashing it (prefetch)


def file_key(path):
    """(real path, size, mtime): a file replaced or changed since is hashed again."""
    st = os.stat(path)
    return (os.path.realpath(path), st.st_size, st.st_mtime_ns)


def sha256_file(path, chunk=4 * 1024 * 1024):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def once_per_file(cache, path, compute):
    """compute(path), kept in cache under file_key(path): computed again only for a changed file."""
    key = file_key(path)
    if key not in cache:
        cache[key] = compute(path)
    return cache[key]


def prefetch(path):
    """Start hashing path in a thread (file reads and hashlib release the GIL), so that the
    preflight finds the digest made while the installer probed the disks and the host."""
    try:
        key = file_key(path)
    except OSError:
        return                  # missing: preflight says so
    if key in _DIGESTS or key in _PENDING:
        return

    def work():
        try:
            _DIGESTS[key] = sha256_file(path)
        except OSError:
            pass                # image_digest() reads it again and raises where it is handled

    _PENDING[key] = threading.Thread(target=work, name="image-digest", daemon=True)
    _PENDING[key].start()


def image_digest(path):
    pending = _PENDING.pop(file_key(path), None)
    if pending is not None:
        pending.join()
    return once_per_file(_DIGESTS, path, sha256_file)


def remember(path, digest):
    """The digest of a file just written by code that hashed every byte it wrote."""
    _DIGESTS[file_key(path)] = digest
