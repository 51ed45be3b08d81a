# ferry bench: a perl loop -- string building, hashes, regular expressions
# and integer arithmetic, no modules.  Usage: perl loop.pl N
my $n = shift // 100000;
my %seen;
my ($acc, $text) = (0, "");
for my $i (1 .. $n) {
    my $key = sprintf("k%05d", ($i * 7919) % 50021);
    $seen{$key}++;
    $acc = ($acc * 31 + length($key) + $seen{$key}) % 1000000007;
    $text .= $key if $i % 16 == 0;
}
my $matches = () = $text =~ /k(\d)\1/g;
my @top = (sort { $seen{$b} <=> $seen{$a} || $a cmp $b } keys %seen)[0 .. 4];
print "acc $acc\nkeys ", scalar(keys %seen), "\nmatches $matches\ntop @top\n";
