"""Root password hashing (SHA-512 crypt) and writing it into the target's /etc/shadow.

The password and its hash never reach a log: hashing is in-process, and the shadow file is edited
directly instead of passing the hash on a command line (which the command wrapper logs)."""
import os
import warnings

from .errors import InstallerError


def hash_password(plaintext):
    # imported here: only a plaintext password needs it (a hash or ask-at-first-boot does not), and
    # loading crypt (libcrypt) costs ~6 ms natively, a fifth of a second under emulation
    with warnings.catch_warnings():        # crypt is deprecated in 3.11 but is what Debian 12 ships
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt
    return crypt.crypt(plaintext, crypt.mksalt(crypt.METHOD_SHA512))


def set_root_hash(target_root, password_hash):
    """Replace root's password field in <target>/etc/shadow, keeping mode and other fields."""
    path = os.path.join(target_root, "etc/shadow")
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as exc:
        raise InstallerError('cannot read %s: %s' % (path, exc.strerror), 'the dom0 image must contain /etc/shadow')
    found = False
    for i, line in enumerate(lines):
        fields = line.split(":")
        if fields[0] == "root" and len(fields) >= 2:
            fields[1] = password_hash
            lines[i] = ":".join(fields)
            found = True
    if not found:
        raise InstallerError('no root entry in %s' % (path,), 'rebuild the dom0 image with a root account')
    tmp = path + ".xenhost-tmp"
    st = os.stat(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(tmp, st.st_mode & 0o7777)
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except PermissionError:                 # only in unprivileged tests
        pass
    os.replace(tmp, path)
