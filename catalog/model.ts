export * from './model/service';
