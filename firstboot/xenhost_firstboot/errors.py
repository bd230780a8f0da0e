"""The one exception type of the firstboot component: a XenhostError, so its message is the
shared "problem\n  fix: ..." form, read on a console during boot by someone who cannot look at
the code."""
from xenhost_common.errors import XenhostError


class FirstbootError(XenhostError):
    """Something first boot (or xenhost-setup) cannot do: the problem and its fix."""
