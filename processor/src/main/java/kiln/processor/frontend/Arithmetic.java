package kiln.processor.frontend;

import com.sun.source.tree.Tree;
import kiln.processor.frontend.ChainEvaluator.EvaluationException;

/**
 * Java's operators on evaluated values, with its binary numeric promotion (int, long, float,
 * double) and string concatenation: what the build-time evaluator needs for sizes, loop bounds and
 * node names such as {@code "block" + i}.
 */
final class Arithmetic {
    private Arithmetic() {}

    static Object binary(Tree at, Tree.Kind op, Object left, Object right) {
        if (op == Tree.Kind.PLUS && (left instanceof String || right instanceof String)) {
            return String.valueOf(left) + right;
        }
        if (left instanceof Boolean a && right instanceof Boolean b) {
            return switch (op) {
                case CONDITIONAL_AND, AND -> a && b;
                case CONDITIONAL_OR, OR -> a || b;
                case XOR, NOT_EQUAL_TO -> a ^ b;
                case EQUAL_TO -> a == b;
                default -> throw unsupported(at, op);
            };
        }
        Number a = number(at, left);
        Number b = number(at, right);
        try {
            if (a instanceof Double || b instanceof Double) return real(at, op, a.doubleValue(), b.doubleValue());
            if (a instanceof Float || b instanceof Float) {
                Object r = real(at, op, a.floatValue(), b.floatValue());
                return r instanceof Double d ? (Object) d.floatValue() : r;
            }
            if (a instanceof Long || b instanceof Long) return integral(at, op, a.longValue(), b.longValue());
            Object r = integral(at, op, a.intValue(), b.intValue());
            return r instanceof Long l ? (Object) l.intValue() : r;
        } catch (ArithmeticException e) {
            throw new EvaluationException(at, "cannot evaluate '" + at + "': " + e.getMessage());
        }
    }

    static Object unary(Tree at, Object value) {
        return switch (at.getKind()) {
            case LOGICAL_COMPLEMENT -> {
                if (!(value instanceof Boolean b)) throw unsupported(at, at.getKind());
                yield !b;
            }
            case UNARY_PLUS -> binary(at, Tree.Kind.PLUS, 0, value);
            case UNARY_MINUS -> switch (number(at, value)) {
                // Boxed per branch: a switch with numeric arms would promote them all to double.
                case Double d -> (Object) (-d);
                case Float f -> (Object) (-f);
                case Long l -> (Object) (-l);
                case Number n -> (Object) (-n.intValue());
            };
            default -> throw unsupported(at, at.getKind());
        };
    }

    private static Object integral(Tree at, Tree.Kind op, long a, long b) {
        return switch (op) {
            case PLUS -> a + b;
            case MINUS -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
            case REMAINDER -> a % b;
            case LESS_THAN -> a < b;
            case LESS_THAN_EQUAL -> a <= b;
            case GREATER_THAN -> a > b;
            case GREATER_THAN_EQUAL -> a >= b;
            case EQUAL_TO -> a == b;
            case NOT_EQUAL_TO -> a != b;
            default -> throw unsupported(at, op);
        };
    }

    private static Object real(Tree at, Tree.Kind op, double a, double b) {
        return switch (op) {
            case PLUS -> a + b;
            case MINUS -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
            case REMAINDER -> a % b;
            case LESS_THAN -> a < b;
            case LESS_THAN_EQUAL -> a <= b;
            case GREATER_THAN -> a > b;
            case GREATER_THAN_EQUAL -> a >= b;
            case EQUAL_TO -> a == b;
            case NOT_EQUAL_TO -> a != b;
            default -> throw unsupported(at, op);
        };
    }

    private static Number number(Tree at, Object value) {
        if (value instanceof Character c) return (int) c;
        if (value instanceof Number n) return n;
        throw new EvaluationException(at, "'" + at + "' needs numbers, but a value is " + value);
    }

    private static EvaluationException unsupported(Tree at, Tree.Kind op) {
        return new EvaluationException(at, "the operator " + op.toString().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ') + " cannot be evaluated at build time; " + ChainEvaluator.SUPPORTED);
    }
}
