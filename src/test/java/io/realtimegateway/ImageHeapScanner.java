package io.realtimegateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Finds what a native image's heap may not hold in the static state of classes. Quarkus initializes application
 * classes at build time, so every static field's value is written into the image heap; GraalVM's builder refuses
 * random generators (a fixed seed), Netty/Vert.x buffers, threads and executors, open streams, sockets and channels,
 * and a per-process value (an epoch, an id, a start time) would silently be the build's.
 * <p>
 * Two checks, both on the class file, without loading or initializing the class: a static field's declared type, and
 * what the static initializer ({@code <clinit>}) creates or obtains (a {@code new}, a method's return type, a call that
 * reads the clock or makes a random id), which catches a forbidden value behind a broader declared type such as
 * {@code Object}. Types are resolved with {@code Class.forName(name, false, loader)}, so subclasses count.
 */
final class ImageHeapScanner {

    /** Types whose instances may not be in the image heap (their subtypes neither). */
    static final List<String> FORBIDDEN = List.of(
            "java.util.Random", // SecureRandom, ThreadLocalRandom
            "java.util.SplittableRandom",
            "java.util.random.RandomGenerator",
            "io.vertx.core.buffer.Buffer",
            "io.netty.buffer.ByteBuf",
            "io.netty.channel.Channel",
            "io.vertx.core.Vertx",
            "java.lang.Thread",
            "java.util.concurrent.Executor", // every ExecutorService, Netty's event loops
            "java.util.Timer",
            "java.lang.Process",
            "java.nio.channels.Channel",
            "java.net.Socket",
            "java.net.ServerSocket",
            "java.net.DatagramSocket",
            "java.io.InputStream",
            "java.io.OutputStream",
            "java.io.Reader",
            "java.io.Writer",
            "java.io.RandomAccessFile",
            "java.nio.MappedByteBuffer");

    /**
     * Forbidden in a static field, but fine as a temporary of a static initializer (reading a resource at build time
     * into a string is), so the {@code <clinit>} check lets them be.
     */
    static final Set<String> TEMPORARY_OK = Set.of("java.io.InputStream", "java.io.OutputStream", "java.io.Reader",
            "java.io.Writer");

    /** Calls whose result is a per-process value or memory a native image cannot carry over from the build. */
    static final Set<String> PER_PROCESS_CALLS = Set.of(
            "java/util/UUID.randomUUID",
            "java/lang/System.currentTimeMillis",
            "java/lang/System.nanoTime",
            "java/time/Instant.now",
            "java/time/Clock.systemUTC",
            "java/lang/ProcessHandle.current",
            "java/nio/ByteBuffer.allocateDirect");

    private final ClassLoader loader;
    private final List<Class<?>> forbidden = new ArrayList<>();

    ImageHeapScanner(ClassLoader loader) {
        this.loader = loader;
        for (String name : FORBIDDEN) {
            try {
                forbidden.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException absent) {
                // not on this class path: nothing can hold one
            }
        }
    }

    /** The findings for every class file under {@code root}/{@code packagePath}, and how many classes were read. */
    Result scanTree(Path root, String packagePath) {
        List<String> findings = new ArrayList<>();
        int classes = 0;
        try (Stream<Path> files = Files.walk(root.resolve(packagePath))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                findings.addAll(scan(Files.readAllBytes(file)));
                classes++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(classes, findings);
    }

    /** The findings for one class, read from its class file. */
    List<String> scan(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            return scan(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> scan(byte[] classFile) {
        List<String> findings = new ArrayList<>();
        ClassReader reader = new ClassReader(classFile);
        String owner = reader.getClassName().replace('/', '.');
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                if ((access & Opcodes.ACC_STATIC) != 0) {
                    String bad = forbiddenType(Type.getType(descriptor));
                    if (bad != null) {
                        findings.add(owner + "." + name + ": a static field of type " + bad);
                    }
                }
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                if (!name.equals("<clinit>")) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        if (opcode == Opcodes.NEW) {
                            String bad = forbiddenInInitializer(Type.getObjectType(type));
                            if (bad != null) {
                                findings.add(owner + ".<clinit>: creates " + bad);
                            }
                        }
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String callOwner, String callName, String callDescriptor,
                            boolean isInterface) {
                        String call = callOwner + "." + callName;
                        if (PER_PROCESS_CALLS.contains(call)) {
                            findings.add(owner + ".<clinit>: calls " + call.replace('/', '.')
                                    + " (a per-process value, fixed at build time)");
                        } else if (!callName.equals("<init>")) {
                            String bad = forbiddenInInitializer(Type.getReturnType(callDescriptor));
                            if (bad != null) {
                                findings.add(owner + ".<clinit>: obtains " + bad + " from "
                                        + call.replace('/', '.'));
                            }
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return findings;
    }

    private String forbiddenInInitializer(Type type) {
        String bad = forbiddenType(type);
        for (String ok : TEMPORARY_OK) {
            if (bad != null && (bad.equals(ok) || bad.endsWith("(a " + ok + ")"))) {
                return null;
            }
        }
        return bad;
    }

    /** The forbidden type {@code type} is or extends, described, or null. */
    private String forbiddenType(Type type) {
        while (type.getSort() == Type.ARRAY) {
            type = type.getElementType();
        }
        if (type.getSort() != Type.OBJECT) {
            return null;
        }
        Class<?> resolved;
        try {
            resolved = Class.forName(type.getClassName(), false, loader);
        } catch (ClassNotFoundException | LinkageError unresolvable) {
            return FORBIDDEN.contains(type.getClassName()) ? type.getClassName() : null;
        }
        for (Class<?> f : forbidden) {
            if (f.isAssignableFrom(resolved)) {
                return resolved == f ? f.getName() : resolved.getName() + " (a " + f.getName() + ")";
            }
        }
        return null;
    }

    record Result(int classes, List<String> findings) {
    }
}
