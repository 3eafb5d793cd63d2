/* Diagnostics in the form path:line:col: error|warning: message. */
#ifndef FOLIO_DIAG_H
#define FOLIO_DIAG_H

void	diag_error(const char *path, int line, int col, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	diag_warning(const char *path, int line, int col, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	diag_note(const char *path, int line, int col, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
void	diag_warning_kind(const char *kind, const char *path, int line,
	    int col, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void	diag_summary(void);
int	diag_errors(void);
int	diag_warnings(void);
void	diag_reset(void);
void	diag_quiet(int);
void	diag_context(const char *path, int line, const char *doing);
void	diag_oom(void) __attribute__((noreturn));

#endif
