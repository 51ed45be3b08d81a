/*
 * /proc/cpuinfo of an arm64 machine, consistent with what the program can
 * find out by itself: the Features line names exactly the AT_HWCAP and
 * AT_HWCAP2 bits (names and order from the arm64 kernel's hwcap table),
 * one block per online CPU, and, when HWCAP_CPUID lets EL0 read MIDR_EL1,
 * implementer/variant/part/revision are that register's fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>

#include "sys-check.h"

static const char *const hwcap_names[32] = {
    "fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32",
    "atomics", "fphp", "asimdhp", "cpuid", "asimdrdm", "jscvt", "fcma", "lrcpc",
    "dcpop", "sha3", "sm3", "sm4", "asimddp", "sha512", "sve", "asimdfhm",
    "dit", "uscat", "ilrcpc", "flagm", "ssbs", "sb", "paca", "pacg",
};
static const char *const hwcap2_names[] = {
    "dcpodp", "sve2", "sveaes", "svepmull", "svebitperm", "svesha3", "svesm4", "flagm2",
    "frint", "svei8mm", "svef32mm", "svef64mm", "svebf16", "i8mm", "bf16", "dgh",
    "rng", "bti", "mte", "ecv", "afp", "rpres", "mte3", "sme",
};
#define HWCAP_CPUID_BIT 11

static void expected_features(char *buf, size_t size)
{
    unsigned long hw = getauxval(AT_HWCAP), hw2 = getauxval(AT_HWCAP2);
    size_t n2 = sizeof hwcap2_names / sizeof hwcap2_names[0];
    buf[0] = 0;
    for (int i = 0; i < 32; i++)
        if (hw & (1ul << i))
            snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? " " : "", hwcap_names[i]);
    for (size_t i = 0; i < 64; i++)
        if (hw2 & (1ul << i))
            snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? " " : "",
                     i < n2 ? hwcap2_names[i] : "?unknown-hwcap2");
}

int main(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[1024], features[1024];
    int blocks = 0, features_ok = 1, arch_ok = 1, midr_ok = 1, bogo_ok = 1;
    unsigned long midr = 0, cpuid = getauxval(AT_HWCAP) & (1ul << HWCAP_CPUID_BIT);

    if (cpuid)
        __asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
    expected_features(features, sizeof features);
    check(f != NULL, "open /proc/cpuinfo");
    while (f && fgets(line, sizeof line, f)) {
        unsigned v;
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "processor\t: ", 12) == 0)
            blocks++;
        else if (strncmp(line, "Features\t: ", 11) == 0)
            features_ok &= strcmp(line + 11, features) == 0;
        else if (strncmp(line, "CPU architecture:", 17) == 0)
            arch_ok &= strcmp(line, "CPU architecture: 8") == 0;
        else if (strncmp(line, "BogoMIPS\t: ", 11) == 0)
            bogo_ok &= strtod(line + 11, NULL) > 0;
        else if (cpuid && sscanf(line, "CPU implementer\t: 0x%x", &v) == 1)
            midr_ok &= v == ((midr >> 24) & 0xff);
        else if (cpuid && sscanf(line, "CPU variant\t: 0x%x", &v) == 1)
            midr_ok &= v == ((midr >> 20) & 0xf);
        else if (cpuid && sscanf(line, "CPU part\t: 0x%x", &v) == 1)
            midr_ok &= v == ((midr >> 4) & 0xfff);
        else if (cpuid && sscanf(line, "CPU revision\t: %u", &v) == 1)
            midr_ok &= v == (midr & 0xf);
    }
    if (f)
        fclose(f);
    check(blocks > 0 && blocks == sysconf(_SC_NPROCESSORS_ONLN), "one block per online CPU");
    check(features_ok, "Features names the AT_HWCAP/AT_HWCAP2 bits, in order");
    check(arch_ok, "CPU architecture: 8");
    check(bogo_ok, "BogoMIPS");
    check(midr_ok, "implementer/variant/part/revision are MIDR_EL1's fields");
    return failures ? 1 : 0;
}
