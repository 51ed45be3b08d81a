/* ferry was built without an arm64 cross compiler: no guest vDSO (guests
 * then find no AT_SYSINFO_EHDR and make every time call a system call). */
#include <stddef.h>

const unsigned char vdso_image[1];
const size_t vdso_image_size = 0;
