// libcsv (Debian: libcsv-dev). Imported only by the CSV adapter.
#include <csv.h>
