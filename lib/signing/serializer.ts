/** Turns values into text and back; `TaggedJSONSerializer` is the one Flask's sessions use. */
export interface Serializer {
  dumps(value: unknown): string;
  loads(text: string): unknown;
}

/** itsdangerous' default: compact JSON. */
export const jsonSerializer: Serializer = {
  dumps: (value) => JSON.stringify(value),
  loads: (text) => JSON.parse(text) as unknown,
};
