#ifndef CHARTER_CLIBEDIT_SHIM_H
#define CHARTER_CLIBEDIT_SHIM_H
// libedit's readline-compatible API (BSD licence). Never <readline/readline.h>: GNU
// readline is GPL. The native el_set/history API is variadic and unusable from Swift.
#include <stdio.h>
#include <editline/readline.h>
#endif
