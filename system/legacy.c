/* system/legacy.c -- the two legacy ports a guest uses to end a run: the
 * i8042 controller's reset command (0xFE to port 0x64) and a debug-exit port
 * (a write of v to port 0xf4 stops the VM with exit status v & 0xff). */
#include "system/devices.h"

#include <stdio.h>
#include <string.h>

/* Data port: nothing to read, writes ignored. */
static void i8042_data_io(void *opaque, uint64_t offset, uint8_t *data, unsigned len,
                          bool is_write)
{
    if (!is_write)
        memset(data, 0, len);
}

static void i8042_cmd_io(void *opaque, uint64_t offset, uint8_t *data, unsigned len,
                         bool is_write)
{
    VM *vm = opaque;
    if (!is_write) {
        memset(data, 0, len);                /* status: no data, input buffer empty */
        return;
    }
    if (data[0] == 0xfe) {
        if (vm->verbose)
            fprintf(stderr, "ferry-system: guest reset through the i8042\n");
        vm_request_stop(vm, 0);
    }
}

static void debug_exit_io(void *opaque, uint64_t offset, uint8_t *data, unsigned len,
                          bool is_write)
{
    VM *vm = opaque;
    if (is_write)
        vm_request_stop(vm, data[0]);
    else
        memset(data, 0, len);
}

void legacy_devices_init(VM *vm)
{
    vm_add_pio(vm, VM_PORT_I8042_DATA, 1, i8042_data_io, vm);
    vm_add_pio(vm, VM_PORT_I8042_CMD, 1, i8042_cmd_io, vm);
    vm_add_pio(vm, VM_PORT_DEBUG_EXIT, 1, debug_exit_io, vm);
}
