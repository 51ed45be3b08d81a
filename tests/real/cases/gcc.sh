# reference: native
# packages: gcc-12 cpp-12 binutils libc6-dev
# timeout: 240
cat > hello.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
static long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *work(void *arg) {
    for (int i = 0; i < 10000; i++) { pthread_mutex_lock(&lock); counter++; pthread_mutex_unlock(&lock); }
    return arg;
}
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(int argc, char **argv) {
    int v[] = { 5, 3, 9, 1, 7 };
    qsort(v, 5, sizeof v[0], cmp);
    printf("sorted %d %d %d %d %d, argc %d, %s\n", v[0], v[1], v[2], v[3], v[4], argc, argc > 1 ? argv[1] : "-");
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("counter %ld, %.6f, %zu\n", counter, 1.0 / 3.0, strlen("ferry"));
    return 3;
}
C
gcc -O2 -Wall -o hello hello.c -pthread; echo "gcc $?"
# The arm64 program runs by an exec from the (arm64) shell: a host that
# can run it directly only does so through a binfmt_misc entry.
bash -c './hello arg; echo "hello $?"'
gcc -c -O1 hello.c -o hello.o && echo "object ok"
