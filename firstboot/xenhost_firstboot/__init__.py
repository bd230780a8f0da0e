"""xenhost first boot: applies /etc/xenhost/firstboot.yaml once on the installed dom0."""
