export * from './gaussian_noise';
export * from './gaussian_dropout';
export * from './activity_regularization';
