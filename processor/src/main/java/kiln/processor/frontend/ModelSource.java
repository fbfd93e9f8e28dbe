package kiln.processor.frontend;

import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import kiln.ir.GraphBuilder;
import kiln.ir.IrException;

/**
 * What the annotation front end read from one @Model class: the node declarations, the training
 * defaults, and where each node was declared, so that IR errors point at the offending source.
 */
public record ModelSource(
        TypeElement type,
        GraphBuilder graph,
        TrainingDefaults defaults,
        boolean providesData,
        boolean reports,
        Map<String, Declaration> declarations) {

    /** The field that declared a node, and its node annotation. */
    public record Declaration(Element field, AnnotationMirror annotation) {}

    /** The element, annotation and attribute value an IR error should be reported on. */
    public record Position(Element element, AnnotationMirror annotation, AnnotationValue value) {}

    public Position positionOf(IrException e) {
        Declaration d = e.node() == null ? null : declarations.get(e.node());
        if (d == null) return new Position(type, null, null);
        if (e.attribute() != null) {
            // The node annotation first, then the others on the field (@Params holds frozen, sharedWith, ...).
            List<AnnotationMirror> mirrors = new java.util.ArrayList<>();
            mirrors.add(d.annotation());
            for (AnnotationMirror m : d.field().getAnnotationMirrors()) if (!m.equals(d.annotation())) mirrors.add(m);
            for (AnnotationMirror m : mirrors) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry : m.getElementValues().entrySet()) {
                    if (entry.getKey().getSimpleName().contentEquals(e.attribute())) return new Position(d.field(), m, entry.getValue());
                }
            }
        }
        return new Position(d.field(), d.annotation(), null);
    }
}
