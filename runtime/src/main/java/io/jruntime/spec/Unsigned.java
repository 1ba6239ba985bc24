package io.jruntime.spec;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigInteger;

/**
 * Marks a {@code Long} property holding one of the spec's unsigned integer types (uint16, uint32,
 * uint64). Reading rejects negative numbers and values above the type's maximum with an error
 * naming the field; a uint64 above {@link Long#MAX_VALUE} (e.g. 18446744073709551615, the
 * RLIM_INFINITY of rlimits, or a seccomp argument mask) is kept as the same 64-bit pattern, so
 * a negative Java value means "above 2^63": compare with {@link Long#compareUnsigned} and print
 * with {@link Long#toUnsignedString(long)}. Writing prints the unsigned value back.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@JacksonAnnotationsInside
@JsonDeserialize(using = Unsigned.Deserializer.class)
@JsonSerialize(using = Unsigned.Serializer.class)
public @interface Unsigned {

    /** Width of the unsigned type: 16, 32 or 64. */
    int value() default 64;

    /** The largest uint32, 4294967295. */
    long UINT32_MAX = 0xFFFF_FFFFL;

    /** Reads a JSON integer into a {@code Long}, checking the range of the declared width. */
    final class Deserializer extends JsonDeserializer<Long> implements ContextualDeserializer {
        private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
        private final int bits;

        public Deserializer() {
            this(64);
        }

        private Deserializer(int bits) {
            this.bits = bits;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            Unsigned u = property == null ? null : property.getAnnotation(Unsigned.class);
            return u == null || u.value() == bits ? this : new Deserializer(u.value());
        }

        /** The largest value of an unsigned type of {@code bits} width, as a Java long bit pattern. */
        static long max(int bits) {
            return bits >= 64 ? -1L : (1L << bits) - 1;
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                return (Long) ctxt.handleUnexpectedToken(Long.class, p);
            }
            String type = "uint" + bits;
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                BigInteger big = p.getBigIntegerValue();
                if (big.signum() < 0 || big.compareTo(TWO_TO_64) >= 0 || bits < 64) {
                    return ctxt.reportInputMismatch(this, "%s is out of range for %s", big, type);
                }
                return big.longValue();
            }
            long v = p.getLongValue();
            if (v < 0) {
                return ctxt.reportInputMismatch(this, "%d is out of range for %s (must not be negative)", v, type);
            }
            if (bits < 64 && v > max(bits)) {
                return ctxt.reportInputMismatch(this, "%d is out of range for %s (at most %d)", v, type, max(bits));
            }
            return v;
        }
    }

    /** Writes the unsigned value of the 64-bit pattern. */
    final class Serializer extends StdSerializer<Long> {
        public Serializer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            long v = value;
            if (v >= 0) {
                gen.writeNumber(v);
            } else {
                gen.writeNumber(new BigInteger(Long.toUnsignedString(v)));
            }
        }
    }
}
