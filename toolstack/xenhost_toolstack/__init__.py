"""xenhost toolstack: a small XenServer-style `xe` over Xen's `xl`."""
