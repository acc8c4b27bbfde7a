// The words that mark an output as not for release (describe --not-for-release writes them at
// the top of every page and spec); `analyse check` treats any file carrying them as a problem.

export const NOT_FOR_RELEASE = 'NOT FOR RELEASE';
