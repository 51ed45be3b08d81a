# reference: native
# packages: perl perl-base perl-modules-5.36
perl -e 'my $s = "The quick brown fox jumps"; my @w = ($s =~ /(\w+)/g); print scalar(@w), " ", join("|", sort @w), "\n";
(my $t = $s) =~ s/(\w+)/\u$1/g; print "$t\n"; printf("%.5f %e %08.3f %x %s\n", 3.14159265, 1234.5, -2.5, 255, "str");
my %h = (apple => 3, pear => 1, fig => 2); print join(",", map { "$_=$h{$_}" } sort { $h{$a} <=> $h{$b} } keys %h), "\n";
my @n = sort { $a <=> $b } (10, 2, 33, 4); print "@n ", 2**0.5, " ", int(7/2), " ", 10 % 3, "\n";
print join(",", map { sprintf "%03b", $_ } 0..7), "\n"; print scalar reverse("ferry"), " ", lc("ABC") . uc("def"), "\n";'
perl -MPOSIX -MDigest::MD5=md5_hex -MDigest::SHA=sha256_hex -MList::Util=sum,max -e 'print floor(-2.5), " ", ceil(2.1), " ", POSIX::strftime("%Y-%m-%d", gmtime(1e9)), " ", fmod(10, 3), "\n";
print md5_hex("ferry"), " ", sha256_hex("ferry"), " ", sum(1..100), " ", max(3, 9, 2), "\n"'
perl -ne 'print if /an/' fixture/fruit.txt; perl -lane '$s += $F[0]; END { print $s }' fixture/sub/numbers.txt
perl -e 'pipe(R, W); if (my $pid = fork) { close W; print <R>; waitpid($pid, 0); print "child ", $? >> 8, "\n" } else { close R; print W "from child\n"; exit 3 }'
