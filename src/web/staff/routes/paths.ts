// Where a request's staff pages are: one place for the links every route file and panel makes.
export const requestPath = (id: number) => `/staff/requests/${id}`;
export const actionPath = (id: number, type: string) => `/staff/requests/${id}/actions/${type}`;
