/** The floor's activities: they do nothing, so the floor workflow measures only the engine's cost. */
export const floorActivities = {
  async noop(): Promise<void> {},
};

export type FloorActivities = typeof floorActivities;
