/* version.h - zkinit's version. */
#ifndef ZKINIT_VERSION_H
#define ZKINIT_VERSION_H

#define ZKINIT_VERSION "0.1.0"

#endif
