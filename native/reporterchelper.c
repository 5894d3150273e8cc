/*
 * A stand-in for GraalVM's unpublished libreporterchelper.so, which the Native Image builder loads from
 * ${java.home}/lib/svm/builder/lib/ for its progress report. It calls only these two native methods of
 * com.oracle.svm.hosted.ProgressReporterCHelper (checked with javap on svm 25.0.2). native/check.sh compiles it
 * with: gcc -shared -fPIC -I$JAVA_HOME/include -I$JAVA_HOME/include/linux
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* private static native long getPeakRSS0(): the peak resident set size of this process, in bytes, or -1. */
JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(JNIEnv *env, jclass cls) {
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0) {
        return -1;
    }
    return (jlong) usage.ru_maxrss * 1024; /* Linux reports kilobytes */
}

/* private static native int getTerminalWindowColumns0(): the terminal's width, or 0 when stdout is no terminal. */
JNIEXPORT jint JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env, jclass cls) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) {
        return 0;
    }
    return size.ws_col;
}
