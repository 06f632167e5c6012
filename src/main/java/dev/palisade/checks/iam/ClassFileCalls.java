package dev.palisade.checks.iam;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The method invocations of one compiled Java class, read from its class file: each {@code invokevirtual},
 * {@code invokeinterface} and {@code invokespecial} instruction of a method's code, and each method reference
 * ({@code client::getObject}) an {@code invokedynamic} instruction binds, with the source line from the
 * method's line number table. The bytes are only parsed: no class is loaded, nothing runs. Every read is
 * bounds-checked, so a truncated or hostile file fails with a {@link BadClassFileException}.
 */
final class ClassFileCalls {
    private static final int MAGIC = 0xCAFEBABE;

    /**
     * One invocation.
     *
     * @param owner the class or interface of the method, internal form ({@code software/amazon/awssdk/services/s3/S3Client})
     * @param method the method name
     * @param line 1-based, or 0 when the class was compiled without line numbers
     */
    record Invocation(String owner, String method, int line) {}

    /** What a class file calls. */
    record Result(List<Invocation> invocations) {}

    static final class BadClassFileException extends Exception {
        private static final long serialVersionUID = 1L;

        BadClassFileException(String message) {
            super(message);
        }
    }

    private final byte[] bytes;
    private int position;
    // constant pool: tag per slot, and for each the offset of its data in bytes
    private int[] tags = new int[0];
    private int[] offsets = new int[0];

    private ClassFileCalls(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The instance-method invocations of the class in {@code bytes}. */
    static Result read(byte[] bytes) throws BadClassFileException {
        return new ClassFileCalls(bytes).parse();
    }

    private Result parse() throws BadClassFileException {
        if (u4() != MAGIC) {
            throw new BadClassFileException("not a class file (no CAFEBABE magic)");
        }
        u2(); // minor
        u2(); // major
        readConstantPool();
        u2(); // access flags
        u2(); // this class
        u2(); // super class
        skip(2L * u2()); // interfaces
        int fields = u2();
        for (int i = 0; i < fields; i++) {
            skip(6);
            skipAttributes();
        }
        List<Invocation> invocations = new ArrayList<>();
        List<int[]> dynamicCalls = new ArrayList<>(); // {constant-pool index, line}
        int methods = u2();
        for (int i = 0; i < methods; i++) {
            skip(6);
            int attributes = u2();
            for (int a = 0; a < attributes; a++) {
                String name = utf8(u2());
                long length = u4() & 0xFFFFFFFFL;
                int end = end(length);
                if (name.equals("Code")) {
                    readCode(end, invocations, dynamicCalls);
                }
                position = end;
            }
        }
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
            String name = utf8(u2());
            int end = end(u4() & 0xFFFFFFFFL);
            if (name.equals("BootstrapMethods")) {
                methodReferences(dynamicCalls, invocations);
            }
            position = end;
        }
        return new Result(List.copyOf(invocations));
    }

    private void skipAttributes() throws BadClassFileException {
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
            skip(2);
            skip(u4() & 0xFFFFFFFFL);
        }
    }

    private void readConstantPool() throws BadClassFileException {
        int count = u2();
        // every entry takes at least 3 bytes: a count the file cannot hold is rejected before anything is allocated
        if (count == 0 || (long) (count - 1) * 3 > bytes.length - position) {
            throw new BadClassFileException("constant pool count " + count + " does not fit in the file");
        }
        tags = new int[count];
        offsets = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = u1();
            tags[i] = tag;
            offsets[i] = position;
            switch (tag) {
                case 1 -> skip(u2()); // Utf8
                case 3, 4 -> skip(4); // Integer, Float
                case 5, 6 -> { // Long, Double: two slots
                    skip(8);
                    i++;
                }
                case 7, 8, 16, 19, 20 -> skip(2); // Class, String, MethodType, Module, Package
                case 9, 10, 11, 12, 17, 18 -> skip(4); // refs, NameAndType, Dynamic, InvokeDynamic
                case 15 -> skip(3); // MethodHandle
                default -> throw new BadClassFileException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
    }

    /** Reads a Code attribute that ends at {@code end}. */
    private void readCode(int end, List<Invocation> invocations, List<int[]> dynamicCalls)
            throws BadClassFileException {
        skip(4); // max stack, max locals
        long codeLength = u4() & 0xFFFFFFFFL;
        int codeStart = position;
        int codeEnd = end(codeLength);
        if (codeEnd > end) {
            throw new BadClassFileException("code longer than its attribute");
        }
        position = codeEnd;
        skip(8L * u2()); // exception table
        List<Long> lineEntries = new ArrayList<>(); // start pc << 16 | line
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
            String name = utf8(u2());
            int attributeEnd = end(u4() & 0xFFFFFFFFL);
            if (name.equals("LineNumberTable")) {
                int n = u2();
                for (int j = 0; j < n; j++) {
                    long start = u2();
                    lineEntries.add(start << 16 | u2());
                }
            }
            position = attributeEnd;
        }
        long[] sortedLines =
                lineEntries.stream().mapToLong(Long::longValue).sorted().toArray();
        if (position > end) {
            throw new BadClassFileException("code attribute longer than declared");
        }
        int pc = 0;
        int length = codeEnd - codeStart;
        while (pc < length) {
            int opcode = bytes[codeStart + pc] & 0xFF;
            if (opcode >= 0xb6 && opcode <= 0xba) {
                if (pc + 2 >= length) {
                    throw new BadClassFileException("instruction cut off at the end of the code");
                }
                int index = ((bytes[codeStart + pc + 1] & 0xFF) << 8) | (bytes[codeStart + pc + 2] & 0xFF);
                int line = lineAt(pc, sortedLines);
                if (opcode == 0xba) {
                    dynamicCalls.add(new int[] {index, line});
                } else if (opcode != 0xb8) { // invokestatic: builder() and create(), never an operation
                    invocation(index, line, invocations);
                }
            }
            pc += instructionLength(codeStart, pc, length);
        }
    }

    /**
     * The line of the entry with the greatest start at or before {@code pc}, as the JVM specification defines it:
     * entries sorted by start once, then a binary search per instruction, so a hostile table costs n log n.
     */
    private static int lineAt(int pc, long[] sortedEntries) {
        int low = 0;
        int high = sortedEntries.length - 1;
        int line = 0;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if ((sortedEntries[middle] >>> 16) <= pc) {
                line = (int) (sortedEntries[middle] & 0xFFFF);
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return line;
    }

    private void invocation(int index, int line, List<Invocation> out) throws BadClassFileException {
        int tag = tag(index);
        if (tag != 10 && tag != 11) {
            throw new BadClassFileException("invoke instruction names constant " + index + " of tag " + tag);
        }
        int at = offsets[index];
        String owner = className(u2At(at));
        int nameAndType = u2At(at + 2);
        if (tag(nameAndType) != 12) {
            throw new BadClassFileException("method reference " + index + " without a name and type");
        }
        out.add(new Invocation(owner, utf8(u2At(offsets[nameAndType])), line));
    }

    /** Method references bound by invokedynamic (LambdaMetafactory's implementation method handle). */
    private void methodReferences(List<int[]> dynamicCalls, List<Invocation> out) throws BadClassFileException {
        int count = u2();
        int[] firstArgument = new int[count];
        int[] argumentCounts = new int[count];
        for (int i = 0; i < count; i++) {
            u2(); // bootstrap method
            argumentCounts[i] = u2();
            firstArgument[i] = position;
            skip(2L * argumentCounts[i]);
        }
        for (int[] call : dynamicCalls) {
            int index = call[0];
            if (tag(index) != 18) {
                throw new BadClassFileException("invokedynamic names constant " + index + " of tag " + tag(index));
            }
            int bootstrap = u2At(offsets[index]);
            if (bootstrap >= count) {
                throw new BadClassFileException("invokedynamic names bootstrap method " + bootstrap + " of " + count);
            }
            for (int a = 0; a < argumentCounts[bootstrap]; a++) {
                int argument = u2At(firstArgument[bootstrap] + 2 * a);
                if (tag(argument) == 15) {
                    int kind = bytes[offsets[argument]] & 0xFF;
                    int reference = u2At(offsets[argument] + 1);
                    // 5 invokeVirtual, 9 invokeInterface: a bound or unbound instance method reference
                    if ((kind == 5 || kind == 9) && (tag(reference) == 10 || tag(reference) == 11)) {
                        invocation(reference, call[1], out);
                    }
                }
            }
        }
    }

    private int instructionLength(int codeStart, int pc, int length) throws BadClassFileException {
        int opcode = bytes[codeStart + pc] & 0xFF;
        switch (opcode) {
            case 0xaa -> { // tableswitch
                int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
                requireCode(p + 12, length);
                long low = intAt(codeStart + p + 4);
                long high = intAt(codeStart + p + 8);
                long size = 12 + 4 * (high - low + 1);
                if (high < low || p + size > length) {
                    throw new BadClassFileException("tableswitch out of the code");
                }
                return (int) (p + size - pc);
            }
            case 0xab -> { // lookupswitch
                int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
                requireCode(p + 8, length);
                long pairs = intAt(codeStart + p + 4);
                long size = 8 + 8 * pairs;
                if (pairs < 0 || p + size > length) {
                    throw new BadClassFileException("lookupswitch out of the code");
                }
                return (int) (p + size - pc);
            }
            case 0xc4 -> { // wide
                requireCode(pc + 2, length);
                return (bytes[codeStart + pc + 1] & 0xFF) == 0x84 ? 6 : 4;
            }
            default -> {
                int size = LENGTHS[opcode];
                if (size == 0) {
                    throw new BadClassFileException("unknown opcode " + opcode);
                }
                return size;
            }
        }
    }

    private static void requireCode(int needed, int length) throws BadClassFileException {
        if (needed > length) {
            throw new BadClassFileException("instruction cut off at the end of the code");
        }
    }

    /** Instruction lengths by opcode; 0 for undefined opcodes and the variable-length ones handled apart. */
    private static final int[] LENGTHS = lengths();

    private static int[] lengths() {
        int[] l = new int[256];
        for (int op = 0x00; op <= 0xc9; op++) {
            l[op] = 1;
        }
        for (int op : new int[] {0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a, 0xa9, 0xbc}) {
            l[op] = 2;
        }
        for (int op = 0x99; op <= 0xa8; op++) {
            l[op] = 3; // if*, goto, jsr
        }
        for (int op : new int[] {
            0x11, 0x13, 0x14, 0x84, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6, 0xc7
        }) {
            l[op] = 3;
        }
        l[0xc5] = 4; // multianewarray
        l[0xb9] = 5; // invokeinterface
        l[0xba] = 5; // invokedynamic
        l[0xc8] = 5; // goto_w
        l[0xc9] = 5; // jsr_w
        l[0xaa] = 0;
        l[0xab] = 0;
        l[0xc4] = 0;
        return l;
    }

    private String className(int index) throws BadClassFileException {
        if (tag(index) != 7) {
            throw new BadClassFileException("constant " + index + " is not a class");
        }
        return utf8(u2At(offsets[index]));
    }

    private int tag(int index) throws BadClassFileException {
        if (index <= 0 || index >= tags.length) {
            throw new BadClassFileException("constant pool index " + index + " out of range");
        }
        return tags[index];
    }

    private String utf8(int index) throws BadClassFileException {
        if (tag(index) != 1) {
            throw new BadClassFileException("constant " + index + " is not a name");
        }
        int at = offsets[index];
        int length = u2At(at);
        // names are ASCII in practice; modified UTF-8 differs from UTF-8 only in NUL and supplementary characters
        return new String(bytes, at + 2, length, StandardCharsets.UTF_8);
    }

    private int end(long length) throws BadClassFileException {
        if (length > bytes.length - position) {
            throw new BadClassFileException("attribute of " + length + " bytes runs past the end of the file");
        }
        return position + (int) length;
    }

    private void skip(long n) throws BadClassFileException {
        if (n > bytes.length - position) {
            throw new BadClassFileException("truncated at byte " + position);
        }
        position += (int) n;
    }

    private int u1() throws BadClassFileException {
        if (position + 1 > bytes.length) {
            throw new BadClassFileException("truncated at byte " + position);
        }
        return bytes[position++] & 0xFF;
    }

    private int u2() throws BadClassFileException {
        int v = u2At(position);
        position += 2;
        return v;
    }

    private int u4() throws BadClassFileException {
        if (position + 4 > bytes.length) {
            throw new BadClassFileException("truncated at byte " + position);
        }
        int v = intAt(position);
        position += 4;
        return v;
    }

    private int u2At(int at) throws BadClassFileException {
        if (at < 0 || at + 2 > bytes.length) {
            throw new BadClassFileException("truncated at byte " + at);
        }
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    private int intAt(int at) {
        return ((bytes[at] & 0xFF) << 24)
                | ((bytes[at + 1] & 0xFF) << 16)
                | ((bytes[at + 2] & 0xFF) << 8)
                | (bytes[at + 3] & 0xFF);
    }
}
