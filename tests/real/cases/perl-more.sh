# reference: native
# packages: perl perl-base perl-modules-5.36
perl -e 'my @p = map { pack("NnC", $_, $_ * 3, $_ % 256) } 1..3; print unpack("H*", join "", @p), "\n"; printf "%vd %s\n", "1.22.333", join ",", unpack("A2 x N", "ab\0\0\0\0\x2a");'
perl -MStorable=freeze,thaw -MData::Dumper -e '$Data::Dumper::Sortkeys = 1; my $d = thaw(freeze({ a => [1, 2, { b => "c" }], n => 1.5 })); print Dumper($d);'
perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0") or die; my $port = $s->sockport;
if (fork) { my $c = $s->accept; print "server got: ", scalar <$c>; wait } else { my $c = IO::Socket::INET->new("127.0.0.1:$port") or die; print $c "hello over tcp\n"; exit 0 }'
perl -e '$SIG{ALRM} = sub { print "alarm\n" }; alarm 1; select(undef, undef, undef, 3); print "after\n"; local $SIG{USR1} = sub { print "usr1\n" }; kill USR1 => $$; sleep 0;'
perl -e 'open(my $p, "-|", "seq", "1", "5") or die; my @l = <$p>; close $p; print scalar(@l), " lines, status $?\n"; system("sh", "-c", "exit 4"); print $? >> 8, "\n"; print `echo backticks`;'
perl -Mbigint -e 'print 2**200, "\n"'; perl -MTime::HiRes=time -e 'print time() > 1e9 ? "hires\n" : "no\n"'
perl -e 'use threads; print "threads\n"' 2>/dev/null || echo "no threads"; perl -MEncode -e 'print length(decode("UTF-8", "h\xc3\xa9llo")), "\n"'
