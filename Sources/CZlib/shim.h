// zlib's gzip file API (gzdopen, gzread): it reads gzip and, transparently, plain files.
#include <zlib.h>
