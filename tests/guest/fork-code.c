/*
 * Code and fork: a child and its parent each rewrite generated code at the
 * same address after the fork and must each run their own version (a
 * process's writes to its memory are its own; translations made before the
 * fork are shared until one side changes the code).  Also a loop in the
 * parent that takes, thousands of times after the fork, a branch its
 * translated code had never taken before it.  Self-checking; prints one line.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int (*fn_t)(int);

/* mov w0, #imm; ret */
static void write_return(uint32_t *code, int imm)
{
    code[0] = 0x52800000u | ((uint32_t)imm << 5);
    code[1] = 0xd65f03c0u;
    __builtin___clear_cache((char *)code, (char *)(code + 2));
}

static int __attribute__((noinline)) large(int x)
{
    return (x & 3) + 10;
}

static int __attribute__((noinline)) classify(int x)
{
    /* before the fork only x < 1000 is seen: the branch to the call of
     * large() is never taken, so it is not chained when the code is shared */
    if (__builtin_expect(x < 1000, 1)) {
        return x & 1;
    }
    return large(x);
}

int main(void)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    fn_t f = (fn_t)(uintptr_t)code;
    write_return(code, 1);
    long sum = 0;
    for (int i = 0; i < 10000; i++) {
        sum += f(i) + classify(i % 1000);
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        int before = f(0);
        write_return(code, 2);
        int after = f(0);
        _exit(before == 1 && after == 2 ? 0 : 10 + before * 3 + after);
    }
    int status;
    waitpid(pid, &status, 0);
    long tail = 0;
    for (int i = 0; i < 20000; i++) {
        tail += classify(1000 + i);         /* the branch never taken before the fork */
    }
    int parent_sees = f(0);                 /* the child's rewrite is not ours */
    write_return(code, 3);
    int parent_after = f(0);
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && parent_sees == 1 &&
             parent_after == 3 && sum == 15000 && tail == 20000 * 10 + 5000 * (0 + 1 + 2 + 3);
    printf("fork-code: child %d, parent %d then %d, sums %ld %ld: %s\n",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1, parent_sees, parent_after,
           sum, tail, ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
