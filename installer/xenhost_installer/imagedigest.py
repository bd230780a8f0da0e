"""The dom0 image's SHA-256, computed once per file. An interactive install checks the image twice
(on the summary, then when installing), and a network image was hashed while it downloaded: reading
178 MB again took seconds to minutes under emulation."""
import hashlib
import os

_DIGESTS = {}       # file_key -> sha256


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


def image_digest(path):
    key = file_key(path)
    if key not in _DIGESTS:
        _DIGESTS[key] = sha256_file(path)
    return _DIGESTS[key]


def remember(path, digest):
    """The digest of a file just written by code that hashed every byte it wrote."""
    _DIGESTS[file_key(path)] = digest
