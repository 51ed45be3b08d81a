/*
 * ferry-aarch64's main(): parse the options, load the program, build its
 * stack and first CPU state, and enter the CPU loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib.h>

#include "host/x86_64/host-cpu.h"
#include "linux-user/binfmt.h"
#include "linux-user/guest-mem.h"
#include "linux-user/loader.h"
#include "linux-user/log.h"
#include "linux-user/options.h"
#include "linux-user/process.h"
#include "linux-user/procfs.h"
#include "linux-user/signal-fatal.h"
#include "linux-user/vdso.h"
#include "linux-user/thread.h"
#include "target/aarch64/cpu-model.h"

extern char **environ;

static void setup_logging(const FerryOptions *o)
{
    ferry_log_file = stderr;
    if (o->log_file && !log_open_file(o->log_file))
        ferry_fatal(1, "-D %s: %s", o->log_file, g_strerror(errno));
    ferry_log_mask = o->log_mask | (o->strace ? LOG_STRACE : 0);
}

/* The guest's argv: the arguments after the program, argv[0] from -0. */
static char **guest_argv(const FerryOptions *o)
{
    char **argv = g_new0(char *, o->guest_argc + 1);
    for (int i = 0; i < o->guest_argc; i++) argv[i] = o->guest_argv[i];
    if (o->argv0) argv[0] = (char *)o->argv0;
    return argv;
}

static CPUState *new_cpu(const GuestImage *img)
{
    CPUState *env;
    if (posix_memalign((void **)&env, 64, sizeof *env) != 0) ferry_fatal(1, "out of memory");
    memset(env, 0, sizeof *env);
    env->x[GREG_SP] = img->sp;
    env->pc = img->entry;
    env->excl_addr = UINT64_MAX;
    cpu_set_nzcv(env, 0);
    return env;
}

int main(int argc, char **argv)
{
    FerryOptions o;
    GError *err = NULL;

    options_parse(&o, argc, argv);
    if (o.binfmt_action) return binfmt_command(o.binfmt_action, o.binfmt_name, o.binfmt_flags);
    const char *missing = host_cpu_missing();
    if (missing) ferry_fatal(1, "this x86-64 CPU lacks %s, which translated code uses (x86-64-v2 is needed)", missing);
    setup_logging(&o);
    const CPUModel *model = o.cpu ? cpu_model_find(o.cpu) : cpu_model_default();
    if (!model) ferry_fatal(1, "unknown CPU model '%s' (-cpu help lists them)", o.cpu);

    guest_mem_init();
    fatal_signals_init();

    /* Through binfmt_misc the program lives in the same root as ferry (a
     * chroot, a container), so its ELF interpreter is found from "/". */
    if (o.via_binfmt && !o.sysroot) o.sysroot = "/";
    /* Nor does a program started through binfmt_misc write translation
     * files unless FERRY_TCACHE says where: it runs inside someone's
     * chroot or container image, whose ~/.cache they did not ask for. */
    if (o.via_binfmt && !o.tcache) o.tcache = "off";
    GuestProcess *proc = g_new0(GuestProcess, 1);
    bool loaded = o.exec_fd >= 0 ? elf_load_program_fd(o.exec_fd, o.prog, o.sysroot, &proc->image, &err)
                                 : elf_load_program(o.prog, o.sysroot, &proc->image, &err);
    if (!loaded) ferry_fatal(err->code, "%s", err->message);
    if (o.exec_fd >= 0) close(o.exec_fd);

    vdso_map(&proc->image);
    char **envp = options_guest_environ(&o, environ);
    StackArgs stack = {
        .argc = o.guest_argc,
        .argv = guest_argv(&o),
        .envp = envp,
        .execfn = o.prog,
        .hwcap = model->hwcap,
        .hwcap2 = model->hwcap2,
        .stack_size = o.stack_size,
    };
    if (!stack_build(&proc->image, &stack, &err))
        ferry_fatal(err->code, "%s", err->message);
    g_strfreev(envp);

    char *exe = realpath(o.prog, NULL);
    proc->exe_path = exe ? exe : g_strdup(o.prog);
    proc->sysroot = o.sysroot ? g_strdup(o.sysroot) : NULL;
    proc->argc = stack.argc;
    proc->argv = stack.argv;
    proc->hwcap = model->hwcap;
    proc->hwcap2 = model->hwcap2;
    proc->features = model->features;
    proc->cpu_name = model->name;
    proc->strace = o.strace;
    proc->max_insns = o.one_insn_per_tb ? 1 : 0;
    proc->perfmap = o.perfmap;
    proc->tcache = o.tcache;
    proc->log_mask = ferry_log_mask;
    procfs_init(proc, o.prog);
    proc->cpu = new_cpu(&proc->image);
    thread_init_main(proc, proc->cpu, cpu_loop_run);

    cpu_loop(proc, proc->cpu);
}
