import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs GraalVM's Native Image builder, from Maven Central, on the project's own {@code native-image.args}, through
 * points-to analysis and compilation to the relocatable object file, stopping before the link; fails on any builder
 * error and prints one summary line. See docs/native.md; native/check.sh prepares the inputs and runs it with
 * {@code java native/NativeCheck.java} on a JDK 25.
 * <p>
 * GraalVM's {@code native-image} driver is not published, so this program does its part: it translates the driver's
 * options into the builder's ({@link #translate}), collects the {@code META-INF/native-image} metadata of the class
 * path as the driver does, copies the JDK to add the builder's progress helper library, and writes the four C headers
 * the builder compiles its probes against, derived from the {@code @CField} accessors of the svm jar.
 * <p>
 * Usage: {@code java native/NativeCheck.java <native-sources dir> <builder jars dir> <work dir>}
 */
public final class NativeCheck {

    /** The Quarkus feature parses it, and skips its setup without it. */
    static final String VENDOR_VERSION = "GraalVM CE 25.0.2+10.1";
    static final String BUILDER_MODULE = "org.graalvm.nativeimage.builder";
    static final String MAIN = "com.oracle.svm.hosted.NativeImageGeneratorRunner";
    static final String MAX_HEAP = System.getProperty("nativecheck.xmx", "10g");
    /** Whether the builder's output is echoed as it comes; otherwise it is only logged, and shown on a failure. */
    static final boolean VERBOSE = Boolean.getBoolean("nativecheck.verbose");

    /** Driver options with a value, as {@code --name=value}: the builder option each one becomes. */
    static final Map<String, String> VALUED = Map.of(
            "--features", "-H:Features=",
            "--link-at-build-time", "-H:LinkAtBuildTime=",
            "--link-at-build-time-paths", "-H:LinkAtBuildTimePaths=",
            "--enable-url-protocols", "-H:EnableURLProtocols=",
            "--enable-monitoring", "-H:EnableMonitoringFeatures=",
            "--enable-native-access", "-H:EnableNativeAccess=",
            "--initialize-at-run-time", "-H:ClassInitialization=",
            "--initialize-at-build-time", "-H:ClassInitialization=");

    /** Driver options without a value: the builder option each one becomes. */
    static final Map<String, String> FLAGS = Map.of(
            "--no-fallback", "-H:FallbackThreshold=0",
            "--link-at-build-time", "-H:LinkAtBuildTime=",
            "--enable-http", "-H:EnableURLProtocols=http",
            "--enable-https", "-H:EnableURLProtocols=https",
            "--enable-monitoring", "-H:EnableMonitoringFeatures=all",
            "--enable-all-security-services", "-H:+EnableAllSecurityServices",
            "--report-unsupported-elements-at-runtime", "-H:+ReportUnsupportedElementsAtRuntime",
            "--allow-incomplete-classpath", "-H:+AllowIncompleteClasspath",
            "--verbose", "-H:+Verbose");

    /** Module options for the image's own classes (the builder's, not the JVM's: those come as {@code -J}). */
    static final Map<String, String> MODULE_OPTIONS = Map.of(
            "--add-exports", "-H:AddExports=",
            "--add-opens", "-H:AddOpens=",
            "--add-reads", "-H:AddReads=");

    /** The {@code META-INF/native-image} metadata files a driver hands to the builder, and the option for each. */
    static final Map<String, String> CONFIG_FILES = Map.of(
            "reflect-config.json", "-H:ReflectionConfigurationResources=",
            "resource-config.json", "-H:ResourceConfigurationResources=",
            "jni-config.json", "-H:JNIConfigurationResources=",
            "proxy-config.json", "-H:DynamicProxyConfigurationResources=",
            "serialization-config.json", "-H:SerializationConfigurationResources=",
            "predefined-classes-config.json", "-H:PredefinedClassesConfigurationResources=",
            "reachability-metadata.json", "-H:ReachabilityMetadataResources=");

    /** The builder's phases, in order, as its progress report names them. */
    static final List<String> PHASES = List.of("initializing", "analysis", "universe", "parsing", "inlining",
            "compiling", "layout", "image");

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java NativeCheck.java <native-sources dir> <builder jars dir> <work dir>");
            System.exit(2);
        }
        Path sources = Path.of(args[0]).toAbsolutePath();
        Path jars = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(work);

        Path jdk = builderJdk(Path.of(System.getProperty("java.home")), work.resolve("jdk"),
                Path.of(System.getProperty("nativecheck.helper.source", "native/reporterchelper.c")));
        Path cLibraries = work.resolve("clibraries");
        writeHeaders(jars, cLibraries.resolve("include"));

        Builder builder = new Builder();
        builder.translate(readArgs(sources.resolve("native-image.args")), sources);
        Path out = work.resolve("out");
        Path tmp = work.resolve("tmp");
        for (Path dir : List.of(out, tmp)) {
            deleteTree(dir);
            Files.createDirectories(dir);
        }

        List<String> command = builder.command(jdk, jars, cLibraries, out, tmp);
        Files.write(work.resolve("builder-command.txt"), command, StandardCharsets.UTF_8);
        if (Boolean.getBoolean("nativecheck.dryRun")) {
            System.out.println("the builder's command is in " + work.resolve("builder-command.txt"));
            return;
        }
        int exit = run(command, sources, work.resolve("builder.log"), tmp);
        System.exit(exit);
    }

    // ---------------------------------------------------------------------------------------------- the builder's JDK

    /**
     * A copy of the JDK with the stand-in for the builder's unpublished progress helper library, which the builder
     * loads from {@code ${java.home}/lib/svm/builder/lib/}. The copy is made once and kept.
     */
    static Path builderJdk(Path javaHome, Path copy, Path helperSource) throws IOException, InterruptedException {
        if (!Files.isExecutable(copy.resolve("bin/java"))) {
            deleteTree(copy);
            Files.createDirectories(copy.getParent());
            exec(List.of("cp", "-a", javaHome.toString(), copy.toString()));
        }
        if (!Files.isDirectory(copy.resolve("jmods")) && !Files.exists(copy.resolve("lib/modules"))) {
            throw new IllegalStateException(javaHome + " is not a JDK");
        }
        Path helper = copy.resolve("lib/svm/builder/lib/libreporterchelper.so");
        if (!Files.exists(helper) || Files.getLastModifiedTime(helper).compareTo(Files.getLastModifiedTime(helperSource)) < 0) {
            Files.createDirectories(helper.getParent());
            exec(List.of("gcc", "-O2", "-shared", "-fPIC", "-I" + copy.resolve("include"),
                    "-I" + copy.resolve("include/linux"), "-o", helper.toString(), helperSource.toString()));
        }
        return copy;
    }

    // -------------------------------------------------------------------------------------------------- the C headers

    /**
     * Writes the headers the builder compiles its C probes against (GraalVM's libchelper sources, not published):
     * each struct from the {@code @CStruct} interface's {@code @CField} accessors, each constant from the
     * {@code @CConstant} methods. Classes are loaded without initialization.
     */
    static void writeHeaders(Path jars, Path include) throws Exception {
        Files.createDirectories(include);
        try (URLClassLoader loader = new URLClassLoader(jarUrls(jars), ClassLoader.getPlatformClassLoader())) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("amd64cpufeatures.h", List.of("com.oracle.svm.core.amd64.AMD64LibCHelper$CPUFeatures"));
            headers.put("aarch64cpufeatures.h", List.of("com.oracle.svm.core.aarch64.AArch64LibCHelper$CPUFeatures"));
            headers.put("riscv64cpufeatures.h", List.of("com.oracle.svm.core.riscv64.RISCV64LibCHelper$CPUFeatures"));
            headers.put("svm_locale.h", List.of("com.oracle.svm.core.c.locale.LocaleCHelper",
                    "com.oracle.svm.core.c.locale.LocaleCHelper$LocaleProps"));
            for (var header : headers.entrySet()) {
                StringBuilder c = new StringBuilder();
                String guard = header.getKey().toUpperCase(Locale.ROOT).replace('.', '_');
                c.append("/* Written by native/NativeCheck.java from the svm jar's @CStruct/@CField/@CConstant"
                        + " declarations. */\n#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n");
                int declarations = 0;
                for (String className : header.getValue()) {
                    declarations += declare(Class.forName(className, false, loader), c);
                }
                if (declarations == 0) {
                    throw new IllegalStateException("no C declarations found for " + header.getKey());
                }
                c.append("#endif\n");
                Files.writeString(include.resolve(header.getKey()), c);
            }
        }
    }

    private static int declare(Class<?> type, StringBuilder c) throws Exception {
        int declarations = 0;
        Annotation struct = annotation(type.getAnnotations(), "org.graalvm.nativeimage.c.struct.CStruct");
        List<Method> methods = Stream.of(type.getDeclaredMethods())
                .sorted(Comparator.comparing(Method::getName)).toList();
        for (Method m : methods) {
            Annotation constant = annotation(m.getAnnotations(), "org.graalvm.nativeimage.c.constant.CConstant");
            if (constant != null) {
                // Distinct values; the builder reads them back from its probe, and only the image's run time (the
                // link, which this check does not reach) would depend on what they are.
                c.append("#define ").append(value(constant, m.getName())).append(' ').append(declarations)
                        .append('\n');
                declarations++;
            }
        }
        if (struct != null) {
            String name = value(struct, type.getSimpleName());
            boolean keyword = (boolean) struct.annotationType().getMethod("addStructKeyword").invoke(struct);
            c.append(keyword ? "struct " + name + " {\n" : "typedef struct {\n");
            for (Method m : methods) {
                Annotation field = annotation(m.getAnnotations(), "org.graalvm.nativeimage.c.struct.CField");
                if (field != null && m.getParameterCount() == 0) {
                    c.append("    ").append(cType(m.getReturnType())).append(' ').append(value(field, m.getName()))
                            .append(";\n");
                    declarations++;
                }
            }
            c.append(keyword ? "};\n\n" : "} " + name + ";\n\n");
        }
        return declarations;
    }

    private static String cType(Class<?> javaType) {
        return switch (javaType.getName()) {
            case "boolean", "byte" -> "char";
            case "short" -> "short";
            case "int" -> "int";
            case "long" -> "long long";
            case "float" -> "float";
            case "double" -> "double";
            default -> "char *"; // a pointer: CCharPointer, a word type, a pointer to a struct
        };
    }

    private static Annotation annotation(Annotation[] annotations, String type) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals(type)) {
                return a;
            }
        }
        return null;
    }

    private static String value(Annotation annotation, String fallback) throws Exception {
        String value = (String) annotation.annotationType().getMethod("value").invoke(annotation);
        return value.isEmpty() ? fallback : value;
    }

    // ----------------------------------------------------------------------------------------- the driver's arguments

    static List<String> readArgs(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: run ./mvnw package -Dquarkus.native.enabled=true"
                    + " -Dquarkus.native.sources-only=true first");
        }
        List<String> args = new ArrayList<>();
        for (String token : Files.readString(file).trim().split("\\s+")) {
            if (!token.isEmpty()) {
                args.add(token);
            }
        }
        return args;
    }

    /** What the {@code native-image} driver would hand the builder, gathered from the driver's arguments. */
    static final class Builder {
        final List<String> jvmOptions = new ArrayList<>();
        final List<String> options = new ArrayList<>();
        final List<Path> classpath = new ArrayList<>();
        final List<Pattern[]> excludedConfig = new ArrayList<>();
        String imageName;
        String mainClass;

        /** Translates driver options into builder and JVM options; an option it does not know is an error. */
        void translate(List<String> args, Path base) throws IOException {
            Path jar = null;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
                if (arg.startsWith("-J")) {
                    jvmOptions.add(arg.substring(2));
                } else if (arg.startsWith("-D")) {
                    jvmOptions.add(arg);
                } else if (arg.startsWith("-H:")) {
                    options.add(arg);
                } else if (arg.equals("-jar")) {
                    jar = base.resolve(args.get(++i));
                } else if (arg.equals("--exclude-config")) {
                    excludedConfig.add(new Pattern[] {Pattern.compile(args.get(i + 1)), Pattern.compile(args.get(i + 2))});
                    i += 2;
                } else if (arg.equals("-cp") || arg.equals("--class-path") || arg.equals("-classpath")) {
                    for (String entry : args.get(++i).split(":")) {
                        classpath.add(base.resolve(entry));
                    }
                } else if (name.equals("--initialize-at-run-time") || name.equals("--initialize-at-build-time")) {
                    String kind = name.endsWith("run-time") ? ":run_time" : ":build_time";
                    List<String> classes = new ArrayList<>();
                    for (String c : value.split(",")) {
                        classes.add(c + kind);
                    }
                    options.add("-H:ClassInitialization=" + String.join(",", classes));
                } else if (value != null && VALUED.containsKey(name)) {
                    options.add(VALUED.get(name) + value);
                } else if (value == null && FLAGS.containsKey(name)) {
                    options.add(FLAGS.get(name));
                } else if (value != null && MODULE_OPTIONS.containsKey(name)) {
                    options.add(MODULE_OPTIONS.get(name) + value);
                } else if (!arg.startsWith("-")) {
                    if (imageName != null) {
                        throw new IllegalArgumentException("a second image name: " + arg);
                    }
                    imageName = arg;
                } else {
                    throw new IllegalArgumentException("NativeCheck does not know the driver option " + arg
                            + "; add its builder equivalent (the builder's @APIOption names it)");
                }
            }
            if (jar != null) {
                classpath.add(0, jar);
                try (JarFile runner = new JarFile(jar.toFile())) {
                    Manifest manifest = runner.getManifest();
                    mainClass = manifest.getMainAttributes().getValue("Main-Class");
                    // The driver honours the jar's Add-Opens and Add-Exports, for the image's unnamed module.
                    for (String attribute : List.of("Add-Opens", "Add-Exports")) {
                        String packages = manifest.getMainAttributes().getValue(attribute);
                        if (packages != null) {
                            for (String p : packages.trim().split("\\s+")) {
                                options.add("-H:" + attribute.replace("-", "") + "=" + p + "=ALL-UNNAMED");
                            }
                        }
                    }
                    String manifestPath = manifest.getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        for (String entry : manifestPath.trim().split("\\s+")) {
                            classpath.add(jar.getParent().resolve(entry));
                        }
                    }
                }
                if (imageName == null) {
                    imageName = jar.getFileName().toString().replaceFirst("\\.jar$", "");
                }
            }
        }

        /**
         * The driver's reading of each class path entry's {@code META-INF/native-image}: the {@code Args} of every
         * {@code native-image.properties} (driver options, translated like the rest) and each metadata file as a
         * builder resource option, except those {@code --exclude-config} names.
         */
        void addClasspathMetadata() throws IOException {
            for (Path entry : List.copyOf(classpath)) {
                if (!Files.isRegularFile(entry)) {
                    continue;
                }
                try (JarFile jar = new JarFile(entry.toFile())) {
                    List<String> names = jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith("META-INF/native-image/")).sorted().toList();
                    for (String resource : names) {
                        if (excluded(entry, resource)) {
                            continue;
                        }
                        String file = resource.substring(resource.lastIndexOf('/') + 1);
                        if (file.equals("native-image.properties")) {
                            Properties properties = new Properties();
                            try (InputStream in = jar.getInputStream(jar.getEntry(resource))) {
                                properties.load(in);
                            }
                            String args = properties.getProperty("Args");
                            if (args != null) {
                                String dir = resource.substring(0, resource.lastIndexOf('/'));
                                List<String> tokens = new ArrayList<>();
                                for (String t : args.replace("${.}", dir).trim().split("\\s+")) {
                                    tokens.add(t);
                                }
                                Builder nested = new Builder();
                                nested.translate(tokens, entry.getParent());
                                options.addAll(nested.options);
                                jvmOptions.addAll(nested.jvmOptions);
                            }
                        } else if (CONFIG_FILES.containsKey(file)) {
                            options.add(CONFIG_FILES.get(file) + resource);
                        }
                    }
                }
            }
        }

        private boolean excluded(Path jar, String resource) {
            for (Pattern[] p : excludedConfig) {
                if (p[0].matcher(jar.toString()).find() && p[1].matcher("/" + resource).find()) {
                    return true;
                }
            }
            return false;
        }

        List<String> command(Path jdk, Path jars, Path cLibraries, Path out, Path tmp) throws IOException {
            addClasspathMetadata();
            List<Path> builderJars;
            try (Stream<Path> s = Files.list(jars)) {
                builderJars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            }
            List<Path> compiler = builderJars.stream().filter(p -> p.getFileName().toString().startsWith("compiler-"))
                    .toList();
            List<Path> modulePath = builderJars.stream().filter(p -> !compiler.contains(p)).toList();
            if (compiler.size() != 1 || modulePath.isEmpty()) {
                throw new IllegalStateException("expected the compiler jar and the svm jars in " + jars);
            }

            List<String> command = new ArrayList<>();
            command.add(jdk.resolve("bin/java").toString());
            command.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
                    "-XX:+UseParallelGC", "-Xss10m", "-Xmx" + MAX_HEAP, "-Dgraalvm.locatorDisabled=true",
                    "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                    "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                    "-Dorg.graalvm.vendorversion=" + VENDOR_VERSION,
                    "-Djdk.internal.lambda.disableEagerInitialization=true",
                    "--enable-native-access=" + BUILDER_MODULE + ",ALL-UNNAMED"));
            command.addAll(exportsToBuilder(modulePath, compiler));
            command.addAll(jvmOptions);
            command.add("--upgrade-module-path=" + compiler.get(0));
            command.add("--module-path=" + join(modulePath));
            command.add("--add-modules=ALL-DEFAULT");
            command.add("--module");
            command.add(BUILDER_MODULE + "/" + MAIN);

            command.add("-imagecp");
            command.add(join(classpath));
            command.add("-H:ImageBuildID=" + UUID.randomUUID());
            command.add("-H:CLibraryPath=" + cLibraries);
            command.add("-H:Path=" + out);
            command.add("-H:TempDirectory=" + tmp);
            command.add("-H:Name=" + imageName);
            if (mainClass != null) {
                command.add("-H:Class=" + mainClass);
            }
            command.addAll(options);
            command.addAll(List.of("-H:+UnlockExperimentalVMOptions", "-H:+ExitAfterRelocatableImageWrite",
                    "-H:-UnlockExperimentalVMOptions"));
            String extra = System.getProperty("nativecheck.extraOptions", "").trim();
            if (!extra.isEmpty()) { // for an investigation, e.g. -H:+PrintAnalysisCallTree
                command.addAll(List.of(extra.split("\\s+")));
            }
            return command;
        }
    }

    /**
     * Every package of the JDK's modules that is not exported to all, exported to the builder's modules and to the
     * unnamed module: the builder checks that it can reach the JDK's internals, one package is not enough. Only the
     * modules the builder's JVM resolves (its own closure and the default root set), so that none is unknown.
     */
    static List<String> exportsToBuilder(List<Path> modulePath, List<Path> upgradePath) {
        ModuleFinder builderJars = ModuleFinder.of(concat(modulePath, upgradePath));
        Set<String> targets = new TreeSet<>();
        for (ModuleReference m : builderJars.findAll()) {
            targets.add(m.descriptor().name());
        }
        targets.add("ALL-UNNAMED");
        String to = String.join(",", targets);

        ModuleFinder system = ModuleFinder.ofSystem();
        Set<String> roots = new TreeSet<>();
        roots.add(BUILDER_MODULE);
        for (ModuleReference m : system.findAll()) { // ALL-DEFAULT: the system modules exporting an API
            if (m.descriptor().exports().stream().anyMatch(e -> !e.isQualified())) {
                roots.add(m.descriptor().name());
            }
        }
        Configuration resolved = Configuration.empty().resolve(
                ModuleFinder.compose(ModuleFinder.of(upgradePath.toArray(Path[]::new)), system),
                ModuleFinder.of(modulePath.toArray(Path[]::new)), roots);

        List<String> exports = new ArrayList<>();
        for (ResolvedModule module : resolved.modules().stream().sorted(Comparator.comparing(ResolvedModule::name))
                .toList()) {
            ModuleDescriptor d = module.reference().descriptor();
            if (system.find(d.name()).isEmpty() || targets.contains(d.name())) {
                continue; // not the JDK's
            }
            Set<String> open = new LinkedHashSet<>();
            for (ModuleDescriptor.Exports e : d.exports()) {
                if (!e.isQualified()) {
                    open.add(e.source());
                }
            }
            for (String p : new TreeSet<>(d.packages())) {
                if (!open.contains(p)) {
                    exports.add("--add-exports=" + d.name() + "/" + p + "=" + to);
                }
            }
        }
        return exports;
    }

    // ------------------------------------------------------------------------------------------------ run and report

    static final Pattern PHASE = Pattern.compile("^\\[(\\d)/(\\d)\\] ([A-Za-z ]+)");
    static final Pattern TIMING = Pattern.compile("\\((\\d+(?:\\.\\d+)?)s @ (\\d+(?:\\.\\d+)?)GB\\)");
    static final Pattern REACHABLE = Pattern.compile(
            "([\\d,]+) types,\\s+([\\d,]+) fields, and\\s+([\\d,]+) methods found reachable");
    static final Pattern PEAK_RSS = Pattern.compile("Peak RSS: (\\d+(?:\\.\\d+)?)GB");
    static final Pattern ERROR = Pattern.compile("^(Error|Fatal error)[: ]|^Exception in thread");
    static final Pattern EXCEPTION = Pattern.compile("[A-Za-z.$]+(Exception|Error)\\b");

    /**
     * Runs the builder, echoing and logging its output, and prints the summary line. Passes when the builder exits
     * with 0, reported no error and wrote the object file.
     */
    static int run(List<String> command, Path dir, Path log, Path tmp) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        AtomicLong sampledPeakKb = new AtomicLong(); // in case the builder fails before its own report
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            Path status = Path.of("/proc/" + process.pid() + "/status");
            while (process.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            sampledPeakKb.accumulateAndGet(Long.parseLong(line.replaceAll("\\D", "")), Math::max);
                        }
                    }
                    Thread.sleep(500);
                } catch (IOException | InterruptedException | UncheckedIOException e) {
                    return;
                }
            }
        });

        Map<Integer, String> phaseTimes = new LinkedHashMap<>();
        int phase = 0;
        int phases = PHASES.size();
        String types = "?";
        String methods = "?";
        String peakRss = null;
        String firstError = null;
        String firstException = null;
        String lastLine = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                logOut.println(line);
                if (VERBOSE) {
                    System.out.println(line);
                }
                String plain = line.replaceAll("\u001B\\[[0-9;]*m", "").trim();
                Matcher m = PHASE.matcher(plain);
                if (m.find()) {
                    phase = Integer.parseInt(m.group(1));
                    phases = Integer.parseInt(m.group(2));
                    phaseTimes.putIfAbsent(phase, "unfinished");
                }
                Matcher t = TIMING.matcher(plain);
                if (t.find() && phase > 0 && phaseTimes.get(phase).equals("unfinished")) {
                    phaseTimes.put(phase, t.group(1) + "s");
                }
                Matcher r = REACHABLE.matcher(plain);
                if (r.find()) {
                    types = r.group(1);
                    methods = r.group(3);
                }
                Matcher rss = PEAK_RSS.matcher(plain);
                if (rss.find()) {
                    peakRss = rss.group(1) + " GB";
                }
                if (firstError == null && ERROR.matcher(plain).find()) {
                    firstError = plain;
                }
                if (firstException == null && EXCEPTION.matcher(plain).find()) {
                    firstException = plain;
                }
                if (!plain.isEmpty()) {
                    lastLine = plain;
                }
            }
        }
        int exit = process.waitFor();
        sampler.join(1000);
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

        Path object;
        try (Stream<Path> files = Files.exists(tmp) ? Files.walk(tmp) : Stream.empty()) {
            object = files.filter(p -> p.toString().endsWith(".o")).findFirst().orElse(null);
        }
        boolean ok = exit == 0 && object != null && firstError == null;
        if (!ok && firstError == null) {
            firstError = exit != 0 && firstException != null ? firstException
                    : exit != 0 ? "exit " + exit + ", last line: " + lastLine : "no object file written";
        }

        List<String> reached = new ArrayList<>();
        for (var e : phaseTimes.entrySet()) {
            int p = e.getKey();
            reached.add("[" + p + "/" + phases + "] " + (p <= PHASES.size() ? PHASES.get(p - 1) : "phase " + p)
                    + " " + e.getValue());
        }
        String summary = String.format(Locale.ROOT,
                "native check %s: %d of %d phases (stops before the link): %s | reachable: %s types, %s methods"
                        + " | object file %s | %d s | peak RSS %s | first error: %s",
                ok ? "PASSED" : "FAILED", phaseTimes.size(), phases, reached.isEmpty() ? "none" : String.join(", ", reached),
                types, methods,
                object == null ? "not written" : String.format(Locale.ROOT, "%.1f MB", Files.size(object) / 1e6),
                seconds, peakRss != null ? peakRss
                        : String.format(Locale.ROOT, "%.2f GB (sampled)", sampledPeakKb.get() / 1024.0 / 1024.0),
                firstError == null ? "none" : firstError);
        if (!ok && !VERBOSE) { // the builder's own account of the failure, then the summary last
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            System.out.println("--- the end of the builder's output (all of it: " + log + ") ---");
            all.subList(Math.max(0, all.size() - 60), all.size()).forEach(System.out::println);
        }
        System.out.println(summary);
        Files.writeString(log.resolveSibling("summary.txt"), summary + "\n");
        return ok ? 0 : (exit == 0 ? 1 : exit);
    }

    // -------------------------------------------------------------------------------------------------------- helpers

    static URL[] jarUrls(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().map(p -> {
                try {
                    return p.toUri().toURL();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toArray(URL[]::new);
        }
    }

    static Path[] concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(Path[]::new);
    }

    static String join(List<Path> paths) {
        return String.join(":", paths.stream().map(Path::toString).toList());
    }

    static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
