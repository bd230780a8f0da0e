#!/usr/bin/perl
# obs-build's own dependency expansion (Build::expand, what the OBS scheduler runs) of each
# package list (an image's, or a package's Build-Depends) against Debian 12's Packages indexes plus our own packages.
# Usage: perl -I/usr/lib/obs-build expand.pl PRJCONF OURS.json IMAGES.json PACKAGES...
# Prints JSON: {name: {ok: 0|1, result: [packages] or [problems]}}.
use strict;
use Build;
use Build::Deb;
use Build::Debrepo;
use JSON::PP;

my ($prjconf, $ours, $images, @indexes) = @ARGV;
my $config = Build::read_config('x86_64', $prjconf);
sub slurp { local $/; open(my $f, '<', $_[0]) || die("$_[0]: $!\n"); return decode_json(<$f>); }
my %info;
sub evr { my ($p) = @_; return ($p->{'epoch'} ? "$p->{'epoch'}:" : '') . $p->{'version'} . (defined $p->{'release'} ? "-$p->{'release'}" : ''); }
for my $index (@indexes) {          # one merged repository: the newest version of each package
  for my $p (@{Build::Debrepo::parse($index, undef, 'addselfprovides' => 1, 'normalizedeps' => 1)}) {
    my $have = $info{$p->{'name'}};
    $info{$p->{'name'}} = $p if !$have || Build::Deb::verscmp(evr($p), evr($have)) > 0;
  }
}
$info{$_->{'name'}} = $_ for @{slurp($ours)};
Build::readdeps($config, undef, \%info);
my %out;
my $wanted = slurp($images);
for my $image (sort keys %$wanted) {
  my ($ok, @result) = Build::expand($config, @{$wanted->{$image}});
  $out{$image} = { ok => ($ok ? 1 : 0), result => \@result };
}
print encode_json(\%out);
