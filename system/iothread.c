/* system/iothread.c -- one host thread that polls the VM's host-side fds
 * (stdin, virtio notify eventfds) and runs their callbacks under the VM's
 * device lock, so vCPU threads never block on host I/O. */
#include "system/devices.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#define IOTHREAD_MAX_FDS 16

typedef struct Watch {
    int fd;
    IoReadyFn fn;
    void *opaque;
} Watch;

typedef struct IoThread IoThread;
struct IoThread {
    VM *vm;
    Watch watch[IOTHREAD_MAX_FDS];
    int n;
};

static IoThread *iothread_of(VM *vm)
{
    if (!vm->iothread) {
        vm->iothread = calloc(1, sizeof(IoThread));
        if (!vm->iothread)
            abort();
        vm->iothread->vm = vm;
    }
    return vm->iothread;
}

void iothread_watch(VM *vm, int fd, IoReadyFn fn, void *opaque)
{
    IoThread *t = iothread_of(vm);
    if (t->n < IOTHREAD_MAX_FDS)
        t->watch[t->n++] = (Watch){ fd, fn, opaque };
}

static void *iothread_main(void *arg)
{
    IoThread *t = arg;
    struct pollfd pfd[IOTHREAD_MAX_FDS];
    for (;;) {
        for (int i = 0; i < t->n; i++)
            pfd[i] = (struct pollfd){ .fd = t->watch[i].fd, .events = POLLIN };
        if (poll(pfd, (nfds_t)t->n, -1) < 0)
            continue;
        for (int i = 0; i < t->n; i++) {
            if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            pthread_mutex_lock(&t->vm->io_lock);
            bool keep = t->watch[i].fn(t->watch[i].opaque, t->watch[i].fd);
            pthread_mutex_unlock(&t->vm->io_lock);
            if (!keep)
                t->watch[i].fd = -1;         /* poll skips negative fds */
        }
    }
    return NULL;
}

bool iothread_start(VM *vm)
{
    IoThread *t = iothread_of(vm);
    if (t->n == 0)
        return true;
    pthread_t th;
    if (pthread_create(&th, NULL, iothread_main, t) != 0) {
        fprintf(stderr, "ferry-system: cannot start the I/O thread\n");
        return false;
    }
    pthread_detach(th);
    return true;
}
