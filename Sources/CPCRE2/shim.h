// pcre2.h refuses to compile unless the code unit width is chosen first.
// moderate matches UTF-8 bytes, so it uses the 8-bit library.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
