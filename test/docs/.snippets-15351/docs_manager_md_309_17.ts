await manager.invalidate(token);
export {};
