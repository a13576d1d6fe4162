// libxml2 (Debian: libxml2-dev). Imported only by the XML adapter.
//
// Debian builds libxml2 with ICU, so its headers pull in ICU's unicode/*.h, which clash with
// the ICU that Foundation bundles in any Swift file that also imports Foundation. Reading
// xmlversion.h first and then undefining LIBXML_ICU_ENABLED keeps ICU out of the module.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
