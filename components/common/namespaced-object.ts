/** The props every construct that emits one namespaced object starts with. */
export interface NamespacedObjectProps {
  /** `metadata.name`. */
  readonly name: string;
  readonly namespace: string;
  /** @default - no labels */
  readonly labels?: Record<string, string>;
}

/** The object's `metadata`: `labels` only when given, so no empty map is emitted. */
export function objectMetadata(props: NamespacedObjectProps): { name: string; namespace: string; labels?: Record<string, string> } {
  return { name: props.name, namespace: props.namespace, ...(props.labels ? { labels: props.labels } : {}) };
}
