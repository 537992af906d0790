// ncursesw (wide characters) for `moderate review` (Debian: libncurses-dev).
// A few of curses' names are macros Swift cannot import (COLOR_PAIR, the attributes) or
// shared globals Swift 6 refuses to read (stdscr, LINES, COLS): small functions stand in.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <curses.h>

// glibc declares wcwidth only under _XOPEN_SOURCE, which a module map cannot set.
extern int wcwidth(wchar_t character);
static inline int moderate_wcwidth(unsigned int character) { return wcwidth((wchar_t)character); }

static inline WINDOW *moderate_stdscr(void) { return stdscr; }
static inline int moderate_lines(void) { return LINES; }
static inline int moderate_columns(void) { return COLS; }
static inline int moderate_color_pair(short pair) { return (int)COLOR_PAIR(pair); }
static inline int moderate_attr_bold(void) { return (int)A_BOLD; }
static inline int moderate_attr_reverse(void) { return (int)A_REVERSE; }
static inline int moderate_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int moderate_attr_dim(void) { return (int)A_DIM; }
