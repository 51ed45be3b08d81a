/*
 * Threads: thread-local storage per thread (TPIDR_EL0 set by clone), a
 * producer/consumer queue on condition variables, a detached thread, a
 * barrier, and pthread_exit values seen by pthread_join (which waits for
 * the kernel's CLONE_CHILD_CLEARTID write and futex wake).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)

/* ---- thread-local storage ---- */

static __thread long tls_value = 7;
static __thread char tls_name[16];

static void *tls_thread(void *arg)
{
    long id = (long)arg;
    long first = tls_value;          /* each thread starts from the initial image */
    tls_value = id * 100;
    snprintf(tls_name, sizeof tls_name, "thread-%ld", id);
    usleep(1000);                    /* let the others overwrite theirs */
    int ok = first == 7 && tls_value == id * 100;
    char want[16];
    snprintf(want, sizeof want, "thread-%ld", id);
    ok = ok && strcmp(tls_name, want) == 0;
    return (void *)(long)ok;
}

static void test_tls(void)
{
    pthread_t t[6];
    tls_value = 12345;
    for (long i = 0; i < 6; i++)
        pthread_create(&t[i], NULL, tls_thread, (void *)i);
    for (int i = 0; i < 6; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        CHECK(ok == (void *)1L, "tls in thread %d", i);
    }
    CHECK(tls_value == 12345, "main thread's tls changed");
    printf("tls: ok\n");
}

/* ---- producer / consumer ---- */

#define QSIZE 4
#define ITEMS 2000
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int buf[QSIZE], head, count;
    int done;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };

static void *producer(void *arg)
{
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&q.lock);
        while (q.count == QSIZE)
            pthread_cond_wait(&q.not_full, &q.lock);
        q.buf[(q.head + q.count++) % QSIZE] = i;
        pthread_cond_signal(&q.not_empty);
        pthread_mutex_unlock(&q.lock);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    long sum = 0;
    for (;;) {
        pthread_mutex_lock(&q.lock);
        while (q.count == 0 && !q.done)
            pthread_cond_wait(&q.not_empty, &q.lock);
        if (q.count == 0 && q.done) {
            pthread_mutex_unlock(&q.lock);
            break;
        }
        sum += q.buf[q.head];
        q.head = (q.head + 1) % QSIZE;
        q.count--;
        pthread_cond_signal(&q.not_full);
        pthread_mutex_unlock(&q.lock);
    }
    return (void *)sum;
}

static void test_producer_consumer(void)
{
    pthread_t p[2], c[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&c[i], NULL, consumer, NULL);
    for (int i = 0; i < 2; i++)
        pthread_create(&p[i], NULL, producer, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(p[i], NULL);
    pthread_mutex_lock(&q.lock);
    q.done = 1;
    pthread_cond_broadcast(&q.not_empty);
    pthread_mutex_unlock(&q.lock);
    long total = 0;
    for (int i = 0; i < 3; i++) {
        void *s;
        pthread_join(c[i], &s);
        total += (long)s;
    }
    printf("producer/consumer: sum %ld\n", total);
    CHECK(total == 2L * ITEMS * (ITEMS + 1) / 2, "consumed sum %ld", total);
}

/* ---- detached thread, barrier, pthread_exit ---- */

static pthread_mutex_t det_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t det_cond = PTHREAD_COND_INITIALIZER;
static int det_done;

static void *detached(void *arg)
{
    pthread_mutex_lock(&det_lock);
    det_done = 1;
    pthread_cond_signal(&det_cond);
    pthread_mutex_unlock(&det_lock);
    return NULL;
}

static pthread_barrier_t barrier;
static int arrived;

static void *barrier_thread(void *arg)
{
    __atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
    int r = pthread_barrier_wait(&barrier);
    /* after the barrier everyone has arrived */
    int seen = __atomic_load_n(&arrived, __ATOMIC_SEQ_CST);
    pthread_exit((void *)(long)(seen == 5 ? (r == PTHREAD_BARRIER_SERIAL_THREAD ? 2 : 1) : 0));
}

static void test_detached_barrier_exit(void)
{
    pthread_t d;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    CHECK(pthread_create(&d, &attr, detached, NULL) == 0, "detached create");
    pthread_mutex_lock(&det_lock);
    while (!det_done)
        pthread_cond_wait(&det_cond, &det_lock);
    pthread_mutex_unlock(&det_lock);
    printf("detached: ok\n");

    pthread_t b[5];
    pthread_barrier_init(&barrier, NULL, 5);
    for (int i = 0; i < 5; i++)
        pthread_create(&b[i], NULL, barrier_thread, NULL);
    int serial = 0, all = 0;
    for (int i = 0; i < 5; i++) {
        void *r;
        pthread_join(b[i], &r);
        all += r != NULL;
        serial += r == (void *)2L;
    }
    printf("barrier: %d passed, %d serial\n", all, serial);
    CHECK(all == 5 && serial == 1, "barrier");
}

/* ---- many short threads: tids unique, joins see CLEARTID ---- */

static void *report_tid(void *arg)
{
    return (void *)syscall(SYS_gettid);
}

static void test_many_threads(void)
{
    long pid = getpid(), prev = 0;
    int distinct = 1;
    for (int round = 0; round < 50; round++) {
        pthread_t t;
        void *tid;
        pthread_create(&t, NULL, report_tid, NULL);
        pthread_join(t, &tid);
        if ((long)tid == pid || (long)tid == prev)
            distinct = 0;
        prev = (long)tid;
    }
    printf("50 threads joined, tids distinct from the pid: %s\n", distinct ? "yes" : "no");
    CHECK(distinct, "tids");
}

int main(void)
{
    test_tls();
    test_producer_consumer();
    test_detached_barrier_exit();
    test_many_threads();
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
