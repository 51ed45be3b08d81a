# reference: native
# packages: openssl libssl3
openssl dgst -sha256 fixture/bytes.bin fixture/a.txt
openssl dgst -sha1 -r fixture/bytes.bin; openssl dgst -md5 fixture/sub/numbers.txt; openssl dgst -sha512 fixture/a.txt
openssl dgst -sha256 -hmac key fixture/a.txt; openssl dgst -sha3-256 fixture/a.txt; openssl dgst -blake2b512 fixture/a.txt
openssl enc -aes-256-cbc -K 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
    -iv 0f0e0d0c0b0a09080706050403020100 -in fixture/sub/numbers.txt | openssl dgst -sha256
openssl enc -aes-128-gcm -K 00112233445566778899aabbccddeeff -iv 000000000000000000000000 -in fixture/a.txt 2>/dev/null | od -A n -t x1 | head -n 2
openssl enc -chacha20 -K 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
    -iv 00000000000000000000000000000000 -in fixture/bytes.bin | openssl dgst -sha256
openssl enc -base64 -in fixture/bytes.bin | head -n 2
openssl prime 2305843009213693951; openssl rand -hex 8 | wc -c
openssl genpkey -algorithm ed25519 -out key.pem 2>/dev/null && openssl pkey -in key.pem -pubout -out pub.pem &&
  openssl pkeyutl -sign -inkey key.pem -rawin -in fixture/a.txt -out sig && openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in fixture/a.txt -sigfile sig
openssl speed -seconds 1 -bytes 1024 sha256 2>/dev/null | grep -c sha256
